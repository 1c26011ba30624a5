"""The packaged catalogue fixtures, shared with the dossier tests."""

from cchc.dossiers.tests.conftest import catalogue, copy_from_register, transfer

__all__ = ["catalogue", "copy_from_register", "transfer"]
