"""The daily signed checkpoint of every audit chain head, run by the worker (`cchc db_worker`)."""

from __future__ import annotations

from django_tasks import task

from cchc.core.audit import write_checkpoint


@task()
def write_audit_checkpoint() -> str:
    """Sign the chain heads into a new file of AUDIT_CHECKPOINT_DIR; its name."""
    return write_checkpoint().name
