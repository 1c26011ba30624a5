"""Background jobs (django-tasks, `cchc db_worker`): the nightly backup and the upload sweep.

Both may run twice after a crash without harm: the backup skips when a nightly one already
succeeded in the last 20 hours, and the sweep only finishes or undoes what is still undone.
"""

from __future__ import annotations

from django_tasks import task


@task()
def nightly_backup() -> dict[str, object]:
    from cchc.backups import services
    from cchc.backups.sweep import sweep_uploads

    run = services.nightly_backup()
    swept = sweep_uploads().as_dict()
    if run is None:
        return {"skipped": True, "sweep": swept}
    return {"path": run.path, "size": run.size, "verified": run.verified, "sweep": swept}


@task()
def sweep_uploads() -> dict[str, int]:
    from cchc.backups.sweep import sweep_uploads as sweep

    return sweep().as_dict()
