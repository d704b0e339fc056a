"""Setup: the workspace, the organization's data imported into it, and who may log in."""

from typing import TYPE_CHECKING

from smartmoves.pathway._exports import lazy_exports

if TYPE_CHECKING:
    from smartmoves.pathway.setup.imports import (
        FORMATS,
        ImportItem,
        ImportReport,
        TableOutcome,
        find_table_files,
        import_files,
    )
    from smartmoves.pathway.setup.users import (
        add_account,
        authenticate,
        get_account,
        list_accounts,
        new_password,
    )
    from smartmoves.pathway.setup.workspace import (
        init_workspace,
        store_status,
        upgrade_store,
    )

__all__ = [
    "FORMATS",
    "ImportItem",
    "ImportReport",
    "TableOutcome",
    "add_account",
    "authenticate",
    "find_table_files",
    "get_account",
    "import_files",
    "init_workspace",
    "list_accounts",
    "new_password",
    "store_status",
    "upgrade_store",
]
__getattr__ = lazy_exports(__name__, ("imports", "users", "workspace"))
