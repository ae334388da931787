// The payload type names of the signed payloads the ledger carries beyond its
// own key events (ledger/roles.h kKeyEventType): the full proto message names
// of api/v1/{collector,provider,office,findings}.proto, the one place they
// are spelled. The collector signs them, ingest validates them, the rules
// fold reads them, the server and compliance_check record findings under
// kFindingType. payload_types_test.cc pins each name to its message's
// descriptor, so a renamed or moved message cannot silently stop matching.
//
// Here, not beside the protos, because rules/ is the lowest layer that
// interprets payloads and every reader or writer (compliance/, api/,
// collector/, tools/) may depend on it; the names can move with the protos
// to a schema package without changing a caller.
#ifndef RULES_PAYLOAD_TYPES_H_
#define RULES_PAYLOAD_TYPES_H_

namespace rules {

// aifl.collector.v1 (collector role).
inline constexpr char kRunStartedType[] = "aifl.collector.v1.RunStarted";
inline constexpr char kIntervalReportType[] =
    "aifl.collector.v1.IntervalReport";
inline constexpr char kRunEndedType[] = "aifl.collector.v1.RunEnded";
inline constexpr char kKernelSummaryType[] = "aifl.collector.v1.KernelSummary";
inline constexpr char kRecordRefusedType[] = "aifl.collector.v1.RecordRefused";

// aifl.provider.v1 (provider role).
inline constexpr char kProviderTypePrefix[] = "aifl.provider.v1.";
inline constexpr char kModelDeclarationType[] =
    "aifl.provider.v1.ModelDeclaration";
inline constexpr char kDocumentSubmissionType[] =
    "aifl.provider.v1.DocumentSubmission";
inline constexpr char kNotificationType[] = "aifl.provider.v1.Notification";
inline constexpr char kEvaluationReportType[] =
    "aifl.provider.v1.EvaluationReport";
inline constexpr char kIncidentReportType[] = "aifl.provider.v1.IncidentReport";

// aifl.office.v1 (office role).
inline constexpr char kOfficeTypePrefix[] = "aifl.office.v1.";
inline constexpr char kDesignationType[] = "aifl.office.v1.Designation";
inline constexpr char kRebuttalDecisionType[] =
    "aifl.office.v1.RebuttalDecision";
// The AI Office ledger's own records (compliance/office_recorder.h); the
// rules fold ignores them.
inline constexpr char kFactoryCheckpointType[] =
    "aifl.office.v1.FactoryCheckpoint";
inline constexpr char kModelTotalsType[] = "aifl.office.v1.ModelTotals";

// aifl.rules.v1 (rules role): a finding raised, changed or cleared.
inline constexpr char kFindingType[] = "aifl.rules.v1.Finding";

}  // namespace rules

#endif  // RULES_PAYLOAD_TYPES_H_
