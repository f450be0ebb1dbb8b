package io.ecsbluegreen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The status reasons are wire text: dashboards, alerts, docs and tests read them, so none is renamed or dropped. */
class ReasonTest {

    @Test
    void everyReasonKeepsTheExactTextTheStatusShows() {
        // The texts as status, API, events and the failed-reason tag carried them before the constants existed.
        assertThat(Arrays.stream(Reason.values()).map(Reason::name)).containsExactlyInAnyOrder(
                "CreatingService", "ServiceDraining", "RegisteringTaskDefinition", "CreatingGreen", "WaitingForTargetGroup",
                "WaitingForDrainingTaskSets", "WaitingForGreen", "AdoptedServingTaskSet", "FirstRevisionLive", "RunningHook",
                "HookSucceeded", "HookFailureIgnored", "TestTrafficOnGreen", "AwaitingPromotion", "Shifting", "AwaitingAnalysis",
                "Baking", "Promoted", "InstantRollback", "Retrying", "Converged", "FollowingDesiredCount", "Steady", "ProgressDeadlineExceeded",
                "GreenUnhealthy", "AlarmTriggered", "AlarmNotFound", "AnalysisFailed", "AnalysisInconclusive", "HookFailed",
                "Aborted", "RollbackCompleted", "RevisionFailed", "OwnedByAnother", "ForeignDeploymentController",
                "NotDeclared", "PauseRestarted", "OwnedByAnotherOperator", "SpecInvalid", "SpecStale", "DuplicateName",
                "Valid", "MissingResource", "Throttled", "AssumeRoleFailed", "UpToDate", "Acted");
        assertThat(Reason.OwnedByAnotherOperator).hasToString(OperatorOwnership.OWNED_BY_ANOTHER_OPERATOR);
        assertThat(Orphans.NOT_DECLARED).isEqualTo("NotDeclared");
        assertThat(Orphans.PAUSE_RESTARTED).isEqualTo("PauseRestarted");
    }
}
