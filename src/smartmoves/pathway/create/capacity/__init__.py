"""Create capacity (job redesign): decisions per activity, the hours they free, and the
plan that consolidates the volunteers' remaining work onto colleagues.
"""

from typing import TYPE_CHECKING

from smartmoves.pathway._exports import lazy_exports

if TYPE_CHECKING:
    from smartmoves.pathway.create.capacity.bounds import (
        LOAD_RANGE,
        MAX_CLI_TIME_LIMIT,
        MAX_WEB_TIME_LIMIT,
        MIN_TIME_LIMIT,
        WEB_TIME_LIMIT,
        check_bounds,
        load_bound,
        time_bound,
    )
    from smartmoves.pathway.create.capacity.decisions import (
        DECISIONS,
        HIGHLY_AUTOMATABLE,
        DecisionIn,
        DecisionRow,
        save_decisions,
        suggest_for_pilot,
        suggested_decision,
    )
    from smartmoves.pathway.create.capacity.exposure import (
        SHIPPED_LABELS,
        evaluate_labels,
        labels_frame,
        predict_file,
        read_activities_file,
        train_model,
    )
    from smartmoves.pathway.create.capacity.exposure_jobs import (
        EXPOSURE_JOB,
        exposure_model_job,
        keep_workspace_estimates,
        start_exposure_model,
        train_workspace_model,
        workspace_model_file,
    )
    from smartmoves.pathway.create.capacity.files import (
        Inventory,
        plan_from_files,
        predict_exposure,
        read_decisions,
        read_inventory,
        read_volunteers,
        suggest_from_files,
    )
    from smartmoves.pathway.create.capacity.hours import (
        ActivityDecision,
        CapacityView,
        DecisionHours,
        capacity_view,
    )
    from smartmoves.pathway.create.capacity.plan import (
        plan_for_pilot,
    )
    from smartmoves.pathway.create.capacity.plan_jobs import (
        PLAN_JOB,
        plan_job,
        start_plan,
    )
    from smartmoves.pathway.create.capacity.plan_read import (
        LOAD_ALERT,
        PlanView,
        SavedPlan,
        current_plan,
        current_plan_view,
        plan_view,
        read_current_plan,
        saved_plan,
    )
    from smartmoves.pathway.create.capacity.scope import (
        MODEL_FILE,
        Scope,
        exposure_model_path,
        load_scope,
        too_few,
        volunteer_pool,
    )

__all__ = [
    "DECISIONS",
    "EXPOSURE_JOB",
    "HIGHLY_AUTOMATABLE",
    "LOAD_ALERT",
    "LOAD_RANGE",
    "MAX_CLI_TIME_LIMIT",
    "MAX_WEB_TIME_LIMIT",
    "MIN_TIME_LIMIT",
    "MODEL_FILE",
    "PLAN_JOB",
    "SHIPPED_LABELS",
    "WEB_TIME_LIMIT",
    "ActivityDecision",
    "CapacityView",
    "DecisionHours",
    "DecisionIn",
    "DecisionRow",
    "Inventory",
    "PlanView",
    "SavedPlan",
    "Scope",
    "capacity_view",
    "check_bounds",
    "current_plan",
    "current_plan_view",
    "evaluate_labels",
    "exposure_model_job",
    "exposure_model_path",
    "keep_workspace_estimates",
    "labels_frame",
    "load_bound",
    "load_scope",
    "plan_for_pilot",
    "plan_from_files",
    "plan_job",
    "plan_view",
    "predict_exposure",
    "predict_file",
    "read_activities_file",
    "read_current_plan",
    "read_decisions",
    "read_inventory",
    "read_volunteers",
    "save_decisions",
    "saved_plan",
    "start_exposure_model",
    "start_plan",
    "suggest_for_pilot",
    "suggest_from_files",
    "suggested_decision",
    "time_bound",
    "too_few",
    "train_model",
    "train_workspace_model",
    "volunteer_pool",
    "workspace_model_file",
]
__getattr__ = lazy_exports(
    __name__,
    (
        "bounds",
        "decisions",
        "exposure",
        "exposure_jobs",
        "files",
        "hours",
        "plan",
        "plan_jobs",
        "plan_read",
        "scope",
    ),
)
