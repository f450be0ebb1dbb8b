package io.ecsbluegreen.plan;

/**
 * Why a service is in its phase: the {@link ServiceStatus#reason()} codes and the condition reasons the
 * status shows. Each constant's {@link #name()} is the exact text written to the status, the API, events,
 * metrics and the failed-revision tag; dashboards, alerts, docs and tests read that text, so a constant is
 * never renamed.
 */
public enum Reason {
    // ---- the planner: a rollout going forward ----
    /** The ECS service does not exist yet and is being created. */
    CreatingService,
    /** The ECS service is draining (deleted outside); nothing is done until it is gone. */
    ServiceDraining,
    /** The task definition of the desired revision is being registered. */
    RegisteringTaskDefinition,
    /** The task set of the desired revision is being created. */
    CreatingGreen,
    /** No target group is free for green: production still points at the task set on it. */
    WaitingForTargetGroup,
    /** ECS's limit of five task sets is reached; green is created once a draining one is gone. */
    WaitingForDrainingTaskSets,
    /** Green exists and is becoming stable and healthy. */
    WaitingForGreen,
    /** A task set production already serves from, never made primary, becomes primary. */
    AdoptedServingTaskSet,
    /** The first revision of the service takes all traffic at once. */
    FirstRevisionLive,
    /** A lifecycle hook was started or is running. */
    RunningHook,
    /** A lifecycle hook succeeded. */
    HookSucceeded,
    /** A lifecycle hook failed with {@code onFailure: ignore}. */
    HookFailureIgnored,
    /** The test listener was just moved to green. */
    TestTrafficOnGreen,
    /** Green serves test traffic and waits for a person to promote it. */
    AwaitingPromotion,
    /** Production traffic is moving step by step. */
    Shifting,
    /** A step is due but an analysis check has no measurement taken during it yet. */
    AwaitingAnalysis,
    /** Production is fully on green, watched for the bake time. */
    Baking,
    /** Green became primary; blue stays warm. */
    Promoted,
    /** The revision blue still ran is wanted again: one listener change back to it. */
    InstantRollback,
    /** A failed revision is retried by request. */
    Retrying,
    /** Production runs the desired revision. */
    Converged,
    /**
     * The service's desired count was changed outside the operator (an autoscaler) and the spec leaves it
     * to them: the task sets follow it, and green starting or stopping tasks for it is not lost health.
     */
    FollowingDesiredCount,
    /** Production runs a revision other than a failed desired one (after a rollback). */
    Steady,

    // ---- the planner: rollbacks and failures ----
    /** Green did not become stable and healthy within the progress deadline. */
    ProgressDeadlineExceeded,
    /** Green lost healthy targets while serving traffic. */
    GreenUnhealthy,
    /** A rollback alarm went into ALARM while green was watched. */
    AlarmTriggered,
    /** A rollback alarm of the spec does not exist in CloudWatch. */
    AlarmNotFound,
    /** An analysis check failed more often than it allows. */
    AnalysisFailed,
    /** No usable analysis measurement came within the progress deadline after a step was due. */
    AnalysisInconclusive,
    /** A lifecycle hook failed. */
    HookFailed,
    /** A person aborted the rollout. */
    Aborted,
    /** Production was found back on blue during a step: the rollback is completed, never undone. */
    RollbackCompleted,
    /** The desired revision failed earlier; blue serves until the spec changes or a retry. */
    RevisionFailed,
    /** A listener, rule, target group or service is tagged as another BlueGreenService's. */
    OwnedByAnother,
    /** The ECS service uses another deployment controller than EXTERNAL. */
    ForeignDeploymentController,

    // ---- orphaned services (see Orphans) ----
    /** No file declares the service any more. */
    NotDeclared,
    /** The spec is declared again: the step's pause restarts now. */
    PauseRestarted,

    // ---- operator replicas (see OperatorOwnership) ----
    /** Another operator instance wrote to the service recently; this one does not write. */
    OwnedByAnotherOperator,

    // ---- the engine: passes that do not plan, and the status conditions ----
    /** The spec is invalid and was never valid. */
    SpecInvalid,
    /** The file is invalid; the last good spec holds. */
    SpecStale,
    /** The service is declared more than once. */
    DuplicateName,
    /** The spec is valid and current. */
    Valid,
    /** A target group or listener the spec names does not exist (retried with backoff). */
    MissingResource,
    /** AWS throttled the pass. */
    Throttled,
    /** The role to assume for the service's account could not be assumed. */
    AssumeRoleFailed,
    /** The pass made no change. */
    UpToDate,
    /** The pass made changes. */
    Acted
}
