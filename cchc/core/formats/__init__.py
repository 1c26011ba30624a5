"""The project's own locale formats (Django's FORMAT_MODULE_PATH): see `vi/formats.py`."""
