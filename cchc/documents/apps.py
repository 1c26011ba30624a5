from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def _may_view(user: AnyUser) -> bool:
    from cchc.accounts import permissions

    return permissions.can(user, permissions.VIEW_DOCUMENTS) or permissions.can(
        user, permissions.DRAFT_DOCUMENTS
    )


class DocumentsConfig(AppConfig):
    name = "cchc.documents"
    label = "documents"
    verbose_name = "Văn bản đi, đến và chữ ký số"

    def ready(self) -> None:
        from cchc.core.navigation import NavItem, register_nav

        register_nav(NavItem("Văn bản đến", "documents:incoming", order=14, allowed=_may_view))
        register_nav(NavItem("Văn bản đi", "documents:outgoing", order=15, allowed=_may_view))
        register_nav(NavItem("Kiểm tra chữ ký số", "documents:verify", order=16))
