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
    from smartmoves.pathway.setup.logins import (
        Current,
        Login,
        SessionsView,
        check_throttle,
        current_session,
        log_in,
        log_out,
        log_out_everywhere,
        sessions_view,
    )
    from smartmoves.pathway.setup.users import (
        UserRow,
        activate_account,
        add_account,
        authenticate,
        deactivate_account,
        get_account,
        list_accounts,
        list_users,
        new_password,
        reset_password,
        set_role,
    )
    from smartmoves.pathway.setup.workspace import (
        init_workspace,
        store_status,
        upgrade_store,
    )

__all__ = [
    "FORMATS",
    "Current",
    "ImportItem",
    "ImportReport",
    "Login",
    "SessionsView",
    "TableOutcome",
    "UserRow",
    "activate_account",
    "add_account",
    "authenticate",
    "check_throttle",
    "current_session",
    "deactivate_account",
    "find_table_files",
    "get_account",
    "import_files",
    "init_workspace",
    "list_accounts",
    "list_users",
    "log_in",
    "log_out",
    "log_out_everywhere",
    "new_password",
    "reset_password",
    "sessions_view",
    "set_role",
    "store_status",
    "upgrade_store",
]
__getattr__ = lazy_exports(__name__, ("imports", "logins", "users", "workspace"))
