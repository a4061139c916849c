import { baseApi as api } from "./base";
export const addTagTypes = [
  "accounts",
  "breakers",
  "flags",
  "admin",
  "feedback",
  "classes",
  "auth",
  "backtests",
  "lessons",
  "guardian",
  "market",
  "instruments",
  "me",
  "models",
  "orders",
  "volatility",
  "scenarios",
  "realtime",
  "system",
] as const;
const injectedRtkApi = api
  .enhanceEndpoints({
    addTagTypes,
  })
  .injectEndpoints({
    endpoints: (build) => ({
      myRequests: build.query<MyRequestsApiResponse, MyRequestsApiArg>({
        query: () => ({ url: `/api/v1/account-requests` }),
        providesTags: ["accounts"],
      }),
      listAccounts: build.query<ListAccountsApiResponse, ListAccountsApiArg>({
        query: () => ({ url: `/api/v1/accounts` }),
        providesTags: ["accounts", "accounts"],
      }),
      openAccount: build.mutation<OpenAccountApiResponse, OpenAccountApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/accounts`,
          method: "POST",
          body: queryArg.accountIn,
        }),
        invalidatesTags: ["accounts", "accounts"],
      }),
      getAccount: build.query<GetAccountApiResponse, GetAccountApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/accounts/${queryArg.accountId}`,
        }),
        providesTags: ["accounts", "accounts"],
      }),
      getAutopilot: build.query<GetAutopilotApiResponse, GetAutopilotApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/accounts/${queryArg.accountId}/autopilot`,
          params: {
            limit: queryArg.limit,
          },
        }),
        providesTags: ["accounts", "accounts"],
      }),
      putAutopilot: build.mutation<PutAutopilotApiResponse, PutAutopilotApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/accounts/${queryArg.accountId}/autopilot`,
            method: "PUT",
            body: queryArg.autopilotIn,
          }),
          invalidatesTags: ["accounts", "accounts"],
        },
      ),
      getEquity: build.query<GetEquityApiResponse, GetEquityApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/accounts/${queryArg.accountId}/equity`,
          params: {
            epoch: queryArg.epoch,
            limit: queryArg.limit,
          },
        }),
        providesTags: ["accounts", "accounts"],
      }),
      getLedger: build.query<GetLedgerApiResponse, GetLedgerApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/accounts/${queryArg.accountId}/ledger`,
          params: {
            epoch: queryArg.epoch,
            limit: queryArg.limit,
            before_sequence: queryArg.beforeSequence,
          },
        }),
        providesTags: ["accounts", "accounts"],
      }),
      resetAccount: build.mutation<ResetAccountApiResponse, ResetAccountApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/accounts/${queryArg.accountId}/reset`,
            method: "POST",
            body: queryArg.body,
          }),
          invalidatesTags: ["accounts", "accounts"],
        },
      ),
      getRiskLimits: build.query<GetRiskLimitsApiResponse, GetRiskLimitsApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/accounts/${queryArg.accountId}/risk`,
          }),
          providesTags: ["accounts", "accounts"],
        },
      ),
      setRiskLimits: build.mutation<
        SetRiskLimitsApiResponse,
        SetRiskLimitsApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/accounts/${queryArg.accountId}/risk`,
          method: "PUT",
          body: queryArg.riskLimitsIn,
        }),
        invalidatesTags: ["accounts", "accounts"],
      }),
      halt: build.mutation<HaltApiResponse, HaltApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/breakers/halt`,
          method: "POST",
          body: queryArg.forceIn,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        invalidatesTags: ["breakers", "breakers"],
      }),
      resume: build.mutation<ResumeApiResponse, ResumeApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/breakers/resume`,
          method: "POST",
          body: queryArg.forceIn,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        invalidatesTags: ["breakers", "breakers"],
      }),
      setCohort: build.mutation<SetCohortApiResponse, SetCohortApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/cohorts`,
          method: "PUT",
          body: queryArg.cohortIn,
        }),
        invalidatesTags: ["flags", "flags", "admin"],
      }),
      listFeedback: build.query<ListFeedbackApiResponse, ListFeedbackApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/feedback`,
          params: {
            status: queryArg.status,
            page: queryArg.page,
            limit: queryArg.limit,
            offset: queryArg.offset,
          },
        }),
        providesTags: ["feedback", "feedback"],
      }),
      getFeedback: build.query<GetFeedbackApiResponse, GetFeedbackApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/feedback/${queryArg.feedbackId}`,
        }),
        providesTags: ["feedback", "feedback"],
      }),
      triageFeedback: build.mutation<
        TriageFeedbackApiResponse,
        TriageFeedbackApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/admin/feedback/${queryArg.feedbackId}`,
          method: "PATCH",
          body: queryArg.feedbackPatchIn,
        }),
        invalidatesTags: ["feedback", "feedback"],
      }),
      listFlags: build.query<ListFlagsApiResponse, ListFlagsApiArg>({
        query: () => ({ url: `/api/v1/admin/flags` }),
        providesTags: ["flags", "flags"],
      }),
      flagChanges: build.query<FlagChangesApiResponse, FlagChangesApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/flags/changes`,
          params: {
            key: queryArg.key,
            limit: queryArg.limit,
          },
        }),
        providesTags: ["flags", "flags"],
      }),
      changeFlag: build.mutation<ChangeFlagApiResponse, ChangeFlagApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/flags/${queryArg.key}`,
          method: "PATCH",
          body: queryArg.flagPatchIn,
        }),
        invalidatesTags: ["flags", "flags"],
      }),
      createTeacher: build.mutation<
        CreateTeacherApiResponse,
        CreateTeacherApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/admin/teachers`,
          method: "POST",
          body: queryArg.newTeacherIn,
        }),
        invalidatesTags: ["classes", "classes"],
      }),
      listUsers: build.query<ListUsersApiResponse, ListUsersApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/users`,
          params: {
            q: queryArg.q,
            role: queryArg.role,
            limit: queryArg.limit,
            offset: queryArg.offset,
          },
        }),
        providesTags: ["admin", "admin"],
      }),
      getUser: build.query<GetUserApiResponse, GetUserApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/users/${queryArg.userId}`,
        }),
        providesTags: ["admin", "admin"],
      }),
      changeUser: build.mutation<ChangeUserApiResponse, ChangeUserApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/admin/users/${queryArg.userId}`,
          method: "PATCH",
          body: queryArg.userChangeIn,
        }),
        invalidatesTags: ["admin", "admin"],
      }),
      disableTwoFactor: build.mutation<
        DisableTwoFactorApiResponse,
        DisableTwoFactorApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/auth/2fa/disable`,
          method: "POST",
          body: queryArg.codeIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      enrolTwoFactor: build.mutation<
        EnrolTwoFactorApiResponse,
        EnrolTwoFactorApiArg
      >({
        query: () => ({ url: `/api/v1/auth/2fa/enrol`, method: "POST" }),
        invalidatesTags: ["auth", "auth"],
      }),
      newRecoveryCodes: build.mutation<
        NewRecoveryCodesApiResponse,
        NewRecoveryCodesApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/auth/2fa/recovery-codes`,
          method: "POST",
          body: queryArg.codeIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      verifyTwoFactor: build.mutation<
        VerifyTwoFactorApiResponse,
        VerifyTwoFactorApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/auth/2fa/verify`,
          method: "POST",
          body: queryArg.codeIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      login: build.mutation<LoginApiResponse, LoginApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/auth/login`,
          method: "POST",
          body: queryArg.loginIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      loginTwoFactor: build.mutation<
        LoginTwoFactorApiResponse,
        LoginTwoFactorApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/auth/login/2fa`,
          method: "POST",
          body: queryArg.loginTwoFactorIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      logout: build.mutation<LogoutApiResponse, LogoutApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/auth/logout`,
          method: "POST",
          body: queryArg.refreshIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      changePassword: build.mutation<
        ChangePasswordApiResponse,
        ChangePasswordApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/auth/password`,
          method: "POST",
          body: queryArg.passwordChangeIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      refresh: build.mutation<RefreshApiResponse, RefreshApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/auth/refresh`,
          method: "POST",
          body: queryArg.refreshIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      register: build.mutation<RegisterApiResponse, RegisterApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/auth/register`,
          method: "POST",
          body: queryArg.registerIn,
        }),
        invalidatesTags: ["auth", "auth"],
      }),
      listBacktests: build.query<ListBacktestsApiResponse, ListBacktestsApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/backtests`,
            params: {
              limit: queryArg.limit,
              offset: queryArg.offset,
              status: queryArg.status,
            },
          }),
          providesTags: ["backtests", "backtests"],
        },
      ),
      submitBacktest: build.mutation<
        SubmitBacktestApiResponse,
        SubmitBacktestApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/backtests`,
          method: "POST",
          body: queryArg.backtestIn,
        }),
        invalidatesTags: ["backtests", "backtests"],
      }),
      listDatasets: build.query<ListDatasetsApiResponse, ListDatasetsApiArg>({
        query: () => ({ url: `/api/v1/backtests/datasets` }),
        providesTags: ["backtests", "backtests"],
      }),
      deleteDataset: build.mutation<
        DeleteDatasetApiResponse,
        DeleteDatasetApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/backtests/datasets/${queryArg.name}`,
          method: "DELETE",
        }),
        invalidatesTags: ["backtests", "backtests"],
      }),
      uploadDataset: build.mutation<
        UploadDatasetApiResponse,
        UploadDatasetApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/backtests/datasets/${queryArg.name}`,
          method: "PUT",
          body: queryArg.body,
        }),
        invalidatesTags: ["backtests", "backtests"],
      }),
      listStrategies: build.query<
        ListStrategiesApiResponse,
        ListStrategiesApiArg
      >({
        query: () => ({ url: `/api/v1/backtests/strategies` }),
        providesTags: ["backtests", "backtests"],
      }),
      cancelBacktest: build.mutation<
        CancelBacktestApiResponse,
        CancelBacktestApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/backtests/${queryArg.runId}`,
          method: "DELETE",
        }),
        invalidatesTags: ["backtests", "backtests"],
      }),
      getBacktest: build.query<GetBacktestApiResponse, GetBacktestApiArg>({
        query: (queryArg) => ({ url: `/api/v1/backtests/${queryArg.runId}` }),
        providesTags: ["backtests", "backtests"],
      }),
      getBacktestEquity: build.query<
        GetBacktestEquityApiResponse,
        GetBacktestEquityApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/backtests/${queryArg.runId}/equity`,
        }),
        providesTags: ["backtests", "backtests"],
      }),
      getReport: build.query<GetReportApiResponse, GetReportApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/backtests/${queryArg.runId}/report`,
        }),
        providesTags: ["backtests", "backtests"],
      }),
      downloadReport: build.query<
        DownloadReportApiResponse,
        DownloadReportApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/backtests/${queryArg.runId}/report/download`,
        }),
        providesTags: ["backtests", "backtests"],
      }),
      getTrades: build.query<GetTradesApiResponse, GetTradesApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/backtests/${queryArg.runId}/trades`,
        }),
        providesTags: ["backtests", "backtests"],
      }),
      listBreakers: build.query<ListBreakersApiResponse, ListBreakersApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/breakers`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["breakers", "breakers"],
      }),
      breakerHistory: build.query<
        BreakerHistoryApiResponse,
        BreakerHistoryApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/breakers/history`,
          params: {
            scope: queryArg.scope,
            key: queryArg.key,
            since: queryArg.since,
            limit: queryArg.limit,
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["breakers", "breakers"],
      }),
      listClasses: build.query<ListClassesApiResponse, ListClassesApiArg>({
        query: () => ({ url: `/api/v1/classes` }),
        providesTags: ["classes", "classes"],
      }),
      createClass: build.mutation<CreateClassApiResponse, CreateClassApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/classes`,
          method: "POST",
          body: queryArg.classIn,
        }),
        invalidatesTags: ["classes", "classes"],
      }),
      joinClass: build.mutation<JoinClassApiResponse, JoinClassApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/classes/join`,
          method: "POST",
          body: queryArg.joinIn,
        }),
        invalidatesTags: ["classes", "classes"],
      }),
      getClass: build.query<GetClassApiResponse, GetClassApiArg>({
        query: (queryArg) => ({ url: `/api/v1/classes/${queryArg.classId}` }),
        providesTags: ["classes", "classes"],
      }),
      patchClass: build.mutation<PatchClassApiResponse, PatchClassApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/classes/${queryArg.classId}`,
          method: "PATCH",
          body: queryArg.classPatchIn,
        }),
        invalidatesTags: ["classes", "classes"],
      }),
      changeClassClock: build.mutation<
        ChangeClassClockApiResponse,
        ChangeClassClockApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/classes/${queryArg.classId}/clock`,
          method: "PATCH",
          body: queryArg.clockChangeIn,
        }),
        invalidatesTags: ["classes", "classes"],
      }),
      skipClassClock: build.mutation<
        SkipClassClockApiResponse,
        SkipClassClockApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/classes/${queryArg.classId}/clock/skip`,
          method: "POST",
          body: queryArg.skipIn,
        }),
        invalidatesTags: ["classes", "classes"],
      }),
      getLeaderboard: build.query<
        GetLeaderboardApiResponse,
        GetLeaderboardApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/classes/${queryArg.classId}/leaderboard`,
          params: {
            score: queryArg.score,
          },
        }),
        providesTags: ["classes", "classes"],
      }),
      exportLeaderboard: build.query<
        ExportLeaderboardApiResponse,
        ExportLeaderboardApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/classes/${queryArg.classId}/leaderboard.csv`,
          params: {
            score: queryArg.score,
          },
        }),
        providesTags: ["classes", "classes"],
      }),
      importRoster: build.mutation<ImportRosterApiResponse, ImportRosterApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/classes/${queryArg.classId}/roster`,
            method: "POST",
            body: queryArg.rosterIn,
          }),
          invalidatesTags: ["classes", "classes"],
        },
      ),
      getStandings: build.query<GetStandingsApiResponse, GetStandingsApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/classes/${queryArg.classId}/standings`,
        }),
        providesTags: ["classes", "classes"],
      }),
      listStudents: build.query<ListStudentsApiResponse, ListStudentsApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/classes/${queryArg.classId}/students`,
        }),
        providesTags: ["classes", "classes"],
      }),
      getStudent: build.query<GetStudentApiResponse, GetStudentApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/classes/${queryArg.classId}/students/${queryArg.userId}`,
        }),
        providesTags: ["classes", "classes"],
      }),
      sendFeedback: build.mutation<SendFeedbackApiResponse, SendFeedbackApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/feedback`,
            method: "POST",
            body: queryArg.feedbackIn,
          }),
          invalidatesTags: ["feedback", "feedback"],
        },
      ),
      listGlossary: build.query<ListGlossaryApiResponse, ListGlossaryApiArg>({
        query: () => ({ url: `/api/v1/glossary` }),
        providesTags: ["lessons", "lessons"],
      }),
      glossaryEntry: build.query<GlossaryEntryApiResponse, GlossaryEntryApiArg>(
        {
          query: (queryArg) => ({ url: `/api/v1/glossary/${queryArg.slug}` }),
          providesTags: ["lessons", "lessons"],
        },
      ),
      listAccountRequests: build.query<
        ListAccountRequestsApiResponse,
        ListAccountRequestsApiArg
      >({
        query: () => ({ url: `/api/v1/guardian/account-requests` }),
        providesTags: ["accounts", "guardian"],
      }),
      decideAccountRequests: build.mutation<
        DecideAccountRequestsApiResponse,
        DecideAccountRequestsApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/guardian/account-requests/decisions`,
          method: "POST",
          body: queryArg.accountDecisionsIn,
        }),
        invalidatesTags: ["accounts", "guardian"],
      }),
      listPending: build.query<ListPendingApiResponse, ListPendingApiArg>({
        query: () => ({ url: `/api/v1/guardian/approvals` }),
        providesTags: ["guardian", "guardian"],
      }),
      decide: build.mutation<DecideApiResponse, DecideApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/approvals/decisions`,
          method: "POST",
          body: queryArg.decisionsIn,
        }),
        invalidatesTags: ["guardian", "guardian"],
      }),
      approve: build.mutation<ApproveApiResponse, ApproveApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/approvals/${queryArg.orderId}/approve`,
          method: "POST",
          body: queryArg.body,
        }),
        invalidatesTags: ["guardian", "guardian"],
      }),
      reject: build.mutation<RejectApiResponse, RejectApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/approvals/${queryArg.orderId}/reject`,
          method: "POST",
          body: queryArg.rejectIn,
        }),
        invalidatesTags: ["guardian", "guardian"],
      }),
      createInvitation: build.mutation<
        CreateInvitationApiResponse,
        CreateInvitationApiArg
      >({
        query: () => ({ url: `/api/v1/guardian/invitations`, method: "POST" }),
        invalidatesTags: ["guardian", "guardian"],
      }),
      myLinks: build.query<MyLinksApiResponse, MyLinksApiArg>({
        query: () => ({ url: `/api/v1/guardian/links` }),
        providesTags: ["guardian", "guardian"],
      }),
      redeem: build.mutation<RedeemApiResponse, RedeemApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/links`,
          method: "POST",
          body: queryArg.redeemIn,
        }),
        invalidatesTags: ["guardian", "guardian"],
      }),
      listMinors: build.query<ListMinorsApiResponse, ListMinorsApiArg>({
        query: () => ({ url: `/api/v1/guardian/minors` }),
        providesTags: ["guardian", "guardian"],
      }),
      unlink: build.mutation<UnlinkApiResponse, UnlinkApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}`,
          method: "DELETE",
        }),
        invalidatesTags: ["guardian", "guardian"],
      }),
      minorAccounts: build.query<MinorAccountsApiResponse, MinorAccountsApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/guardian/minors/${queryArg.minorId}/accounts`,
          }),
          providesTags: ["guardian", "guardian"],
        },
      ),
      openMinorAccount: build.mutation<
        OpenMinorAccountApiResponse,
        OpenMinorAccountApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}/accounts`,
          method: "POST",
          body: queryArg.minorAccountIn,
        }),
        invalidatesTags: ["accounts", "guardian"],
      }),
      minorAccount: build.query<MinorAccountApiResponse, MinorAccountApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}/accounts/${queryArg.accountId}`,
        }),
        providesTags: ["guardian", "guardian"],
      }),
      minorEquity: build.query<MinorEquityApiResponse, MinorEquityApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}/accounts/${queryArg.accountId}/equity`,
          params: {
            epoch: queryArg.epoch,
            limit: queryArg.limit,
          },
        }),
        providesTags: ["guardian", "guardian"],
      }),
      minorLedger: build.query<MinorLedgerApiResponse, MinorLedgerApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}/accounts/${queryArg.accountId}/ledger`,
          params: {
            epoch: queryArg.epoch,
            limit: queryArg.limit,
            before_sequence: queryArg.beforeSequence,
          },
        }),
        providesTags: ["guardian", "guardian"],
      }),
      minorOrders: build.query<MinorOrdersApiResponse, MinorOrdersApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}/accounts/${queryArg.accountId}/orders`,
          params: {
            status: queryArg.status,
            limit: queryArg.limit,
            before: queryArg.before,
          },
        }),
        providesTags: ["guardian", "guardian"],
      }),
      minorPositions: build.query<
        MinorPositionsApiResponse,
        MinorPositionsApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}/accounts/${queryArg.accountId}/positions`,
        }),
        providesTags: ["guardian", "guardian"],
      }),
      getLimits: build.query<GetLimitsApiResponse, GetLimitsApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}/limits`,
        }),
        providesTags: ["guardian", "guardian"],
      }),
      updateLimits: build.mutation<UpdateLimitsApiResponse, UpdateLimitsApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/guardian/minors/${queryArg.minorId}/limits`,
            method: "PATCH",
            body: queryArg.limitsIn,
          }),
          invalidatesTags: ["guardian", "guardian"],
        },
      ),
      setLimits: build.mutation<SetLimitsApiResponse, SetLimitsApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/guardian/minors/${queryArg.minorId}/limits`,
          method: "PUT",
          body: queryArg.limitsIn,
        }),
        invalidatesTags: ["guardian", "guardian"],
      }),
      listInstruments: build.query<
        ListInstrumentsApiResponse,
        ListInstrumentsApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/instruments`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["market", "instruments"],
      }),
      listBars: build.query<ListBarsApiResponse, ListBarsApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/instruments/${queryArg["symbol"]}/bars`,
          params: {
            start: queryArg.start,
            end: queryArg.end,
            limit: queryArg.limit,
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["market", "instruments"],
      }),
      getQuote: build.query<GetQuoteApiResponse, GetQuoteApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/instruments/${queryArg["symbol"]}/quote`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["market", "instruments"],
      }),
      listLessons: build.query<ListLessonsApiResponse, ListLessonsApiArg>({
        query: () => ({ url: `/api/v1/lessons` }),
        providesTags: ["lessons", "lessons"],
      }),
      lessonCheck: build.query<LessonCheckApiResponse, LessonCheckApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/lessons/checks/${queryArg.code}`,
        }),
        providesTags: ["lessons", "lessons"],
      }),
      lessonProgress: build.query<
        LessonProgressApiResponse,
        LessonProgressApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/lessons/progress`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["lessons", "lessons"],
      }),
      lessonRequirements: build.query<
        LessonRequirementsApiResponse,
        LessonRequirementsApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/lessons/requirements/${queryArg.accountId}`,
        }),
        providesTags: ["lessons", "lessons"],
      }),
      setLessonRequirements: build.mutation<
        SetLessonRequirementsApiResponse,
        SetLessonRequirementsApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/lessons/requirements/${queryArg.accountId}`,
          method: "PUT",
          body: queryArg.requirementsIn,
        }),
        invalidatesTags: ["lessons", "lessons"],
      }),
      reviewQueue: build.query<ReviewQueueApiResponse, ReviewQueueApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/lessons/reviews`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["lessons", "lessons"],
      }),
      getLesson: build.query<GetLessonApiResponse, GetLessonApiArg>({
        query: (queryArg) => ({ url: `/api/v1/lessons/${queryArg.slug}` }),
        providesTags: ["lessons", "lessons"],
      }),
      answerQuiz: build.mutation<AnswerQuizApiResponse, AnswerQuizApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/lessons/${queryArg.slug}/quiz`,
          method: "POST",
          body: queryArg.quizIn,
        }),
        invalidatesTags: ["lessons", "lessons"],
      }),
      marketClock: build.query<MarketClockApiResponse, MarketClockApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/market/clock`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["market", "instruments"],
      }),
      me: build.query<MeApiResponse, MeApiArg>({
        query: () => ({ url: `/api/v1/me` }),
        providesTags: ["auth", "me"],
      }),
      myFlags: build.query<MyFlagsApiResponse, MyFlagsApiArg>({
        query: () => ({ url: `/api/v1/me/flags` }),
        providesTags: ["flags", "flags"],
      }),
      listModels: build.query<ListModelsApiResponse, ListModelsApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/models`,
          params: {
            symbol: queryArg["symbol"],
          },
        }),
        providesTags: ["models", "models"],
      }),
      listOrders: build.query<ListOrdersApiResponse, ListOrdersApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/orders`,
          params: {
            account_id: queryArg.accountId,
            status: queryArg.status,
            symbol: queryArg["symbol"],
            limit: queryArg.limit,
            before: queryArg.before,
          },
        }),
        providesTags: ["orders", "orders"],
      }),
      placeOrder: build.mutation<PlaceOrderApiResponse, PlaceOrderApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/orders`,
          method: "POST",
          body: queryArg.orderIn,
        }),
        invalidatesTags: ["orders", "orders"],
      }),
      previewOrder: build.mutation<PreviewOrderApiResponse, PreviewOrderApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/orders/preview`,
            method: "POST",
            body: queryArg.orderIn,
          }),
          invalidatesTags: ["orders", "orders"],
        },
      ),
      cancelOrder: build.mutation<CancelOrderApiResponse, CancelOrderApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/orders/${queryArg.orderId}`,
          method: "DELETE",
        }),
        invalidatesTags: ["orders", "orders"],
      }),
      getOrder: build.query<GetOrderApiResponse, GetOrderApiArg>({
        query: (queryArg) => ({ url: `/api/v1/orders/${queryArg.orderId}` }),
        providesTags: ["orders", "orders"],
      }),
      listQuotes: build.query<ListQuotesApiResponse, ListQuotesApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/quotes`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["market", "instruments"],
      }),
      riskParameters: build.query<
        RiskParametersApiResponse,
        RiskParametersApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/risk/parameters`,
          params: {
            symbol: queryArg["symbol"],
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["volatility", "volatility"],
      }),
      listScenarios: build.query<ListScenariosApiResponse, ListScenariosApiArg>(
        {
          query: () => ({ url: `/api/v1/scenarios` }),
          providesTags: ["scenarios", "scenarios"],
        },
      ),
      createScenario: build.mutation<
        CreateScenarioApiResponse,
        CreateScenarioApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/scenarios`,
          method: "POST",
          body: queryArg.scenarioIn,
        }),
        invalidatesTags: ["scenarios", "scenarios"],
      }),
      getScenario: build.query<GetScenarioApiResponse, GetScenarioApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/scenarios/${queryArg.scenarioId}`,
        }),
        providesTags: ["scenarios", "scenarios"],
      }),
      changeScenarioClock: build.mutation<
        ChangeScenarioClockApiResponse,
        ChangeScenarioClockApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/scenarios/${queryArg.scenarioId}/clock`,
          method: "PATCH",
          body: queryArg.clockChangeIn,
        }),
        invalidatesTags: ["scenarios", "scenarios"],
      }),
      skipScenarioClock: build.mutation<
        SkipScenarioClockApiResponse,
        SkipScenarioClockApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/scenarios/${queryArg.scenarioId}/clock/skip`,
          method: "POST",
          body: queryArg.skipIn,
        }),
        invalidatesTags: ["scenarios", "scenarios"],
      }),
      scenarioEvents: build.query<
        ScenarioEventsApiResponse,
        ScenarioEventsApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/scenarios/${queryArg.scenarioId}/events`,
          params: {
            limit: queryArg.limit,
          },
        }),
        providesTags: ["scenarios", "scenarios"],
      }),
      listSignals: build.query<ListSignalsApiResponse, ListSignalsApiArg>({
        query: (queryArg) => ({
          url: `/api/v1/signals`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["models", "models"],
      }),
      listClassFeedback: build.query<
        ListClassFeedbackApiResponse,
        ListClassFeedbackApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/teacher/feedback`,
          params: {
            class_id: queryArg.classId,
            status: queryArg.status,
            page: queryArg.page,
            limit: queryArg.limit,
            offset: queryArg.offset,
          },
        }),
        providesTags: ["feedback", "feedback"],
      }),
      getClassFeedback: build.query<
        GetClassFeedbackApiResponse,
        GetClassFeedbackApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/teacher/feedback/${queryArg.feedbackId}`,
        }),
        providesTags: ["feedback", "feedback"],
      }),
      triageClassFeedback: build.mutation<
        TriageClassFeedbackApiResponse,
        TriageClassFeedbackApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/teacher/feedback/${queryArg.feedbackId}`,
          method: "PATCH",
          body: queryArg.feedbackPatchIn,
        }),
        invalidatesTags: ["feedback", "feedback"],
      }),
      listVolatility: build.query<
        ListVolatilityApiResponse,
        ListVolatilityApiArg
      >({
        query: (queryArg) => ({
          url: `/api/v1/volatility`,
          params: {
            scenario: queryArg.scenario,
          },
        }),
        providesTags: ["volatility", "volatility"],
      }),
      getVolatility: build.query<GetVolatilityApiResponse, GetVolatilityApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/volatility/${queryArg["symbol"]}`,
            params: {
              scenario: queryArg.scenario,
            },
          }),
          providesTags: ["volatility", "volatility"],
        },
      ),
      regimeHistory: build.query<RegimeHistoryApiResponse, RegimeHistoryApiArg>(
        {
          query: (queryArg) => ({
            url: `/api/v1/volatility/${queryArg["symbol"]}/history`,
            params: {
              limit: queryArg.limit,
              scenario: queryArg.scenario,
            },
          }),
          providesTags: ["volatility", "volatility"],
        },
      ),
      websocketMessages: build.query<
        WebsocketMessagesApiResponse,
        WebsocketMessagesApiArg
      >({
        query: () => ({ url: `/api/v1/ws/messages` }),
        providesTags: ["realtime"],
      }),
      healthz: build.query<HealthzApiResponse, HealthzApiArg>({
        query: () => ({ url: `/healthz` }),
        providesTags: ["system"],
      }),
      readyz: build.query<ReadyzApiResponse, ReadyzApiArg>({
        query: () => ({ url: `/readyz` }),
        providesTags: ["system"],
      }),
    }),
    overrideExisting: false,
  });
export { injectedRtkApi as keelApi };
export type MyRequestsApiResponse =
  /** status 200 Successful Response */ AccountRequestOut[];
export type MyRequestsApiArg = void;
export type ListAccountsApiResponse =
  /** status 200 Successful Response */ AccountOut[];
export type ListAccountsApiArg = void;
export type OpenAccountApiResponse =
  | /** status 201 Successful Response */ AccountOut
  | /** status 202 A minor's request, waiting for a guardian's consent (not done yet) */ AccountRequestOut;
export type OpenAccountApiArg = {
  accountIn: AccountIn;
};
export type GetAccountApiResponse =
  /** status 200 Successful Response */ AccountOut;
export type GetAccountApiArg = {
  accountId: string;
};
export type GetAutopilotApiResponse =
  /** status 200 Successful Response */ AutopilotOut;
export type GetAutopilotApiArg = {
  accountId: string;
  limit?: number;
};
export type PutAutopilotApiResponse =
  /** status 200 Successful Response */ AutopilotOut;
export type PutAutopilotApiArg = {
  accountId: string;
  autopilotIn: AutopilotIn;
};
export type GetEquityApiResponse =
  /** status 200 Successful Response */ EquityPointOut[];
export type GetEquityApiArg = {
  accountId: string;
  epoch?: number | null;
  limit?: number;
};
export type GetLedgerApiResponse =
  /** status 200 Successful Response */ LedgerEntryOut[];
export type GetLedgerApiArg = {
  accountId: string;
  epoch?: number | null;
  limit?: number;
  beforeSequence?: number | null;
};
export type ResetAccountApiResponse =
  | /** status 200 Successful Response */ AccountOut
  | /** status 202 A minor's request, waiting for a guardian's consent (not done yet) */ AccountRequestOut;
export type ResetAccountApiArg = {
  accountId: string;
  body: ResetIn | null;
};
export type GetRiskLimitsApiResponse =
  /** status 200 Successful Response */ AccountRiskOut;
export type GetRiskLimitsApiArg = {
  accountId: string;
};
export type SetRiskLimitsApiResponse =
  /** status 200 Successful Response */ AccountRiskOut;
export type SetRiskLimitsApiArg = {
  accountId: string;
  riskLimitsIn: RiskLimitsIn;
};
export type HaltApiResponse =
  /** status 200 Successful Response */ BreakerTransitionOut;
export type HaltApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
  forceIn: ForceIn;
};
export type ResumeApiResponse =
  /** status 200 Successful Response */ BreakerTransitionOut;
export type ResumeApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
  forceIn: ForceIn;
};
export type SetCohortApiResponse =
  /** status 200 Successful Response */ CohortOut;
export type SetCohortApiArg = {
  cohortIn: CohortIn;
};
export type ListFeedbackApiResponse =
  /** status 200 Successful Response */ FeedbackListOut;
export type ListFeedbackApiArg = {
  status?: ("new" | "triaged" | "done") | null;
  /** paths starting with this */
  page?: string | null;
  limit?: number;
  offset?: number;
};
export type GetFeedbackApiResponse =
  /** status 200 Successful Response */ FeedbackDetailOut;
export type GetFeedbackApiArg = {
  feedbackId: string;
};
export type TriageFeedbackApiResponse =
  /** status 200 Successful Response */ FeedbackDetailOut;
export type TriageFeedbackApiArg = {
  feedbackId: string;
  feedbackPatchIn: FeedbackPatchIn;
};
export type ListFlagsApiResponse =
  /** status 200 Successful Response */ FlagsOut;
export type ListFlagsApiArg = void;
export type FlagChangesApiResponse =
  /** status 200 Successful Response */ AdminEventOut[];
export type FlagChangesApiArg = {
  key?: string | null;
  limit?: number;
};
export type ChangeFlagApiResponse =
  /** status 200 Successful Response */ FlagOut;
export type ChangeFlagApiArg = {
  key: string;
  flagPatchIn: FlagPatchIn;
};
export type CreateTeacherApiResponse =
  /** status 201 Successful Response */ NewTeacherOut;
export type CreateTeacherApiArg = {
  newTeacherIn: NewTeacherIn;
};
export type ListUsersApiResponse =
  /** status 200 Successful Response */ UserPageOut;
export type ListUsersApiArg = {
  /** Part of a name or email */
  q?: string | null;
  role?: Role | null;
  limit?: number;
  offset?: number;
};
export type GetUserApiResponse =
  /** status 200 Successful Response */ AdminUserDetailOut;
export type GetUserApiArg = {
  userId: string;
};
export type ChangeUserApiResponse =
  /** status 200 Successful Response */ AdminUserDetailOut;
export type ChangeUserApiArg = {
  userId: string;
  userChangeIn: UserChangeIn;
};
export type DisableTwoFactorApiResponse = unknown;
export type DisableTwoFactorApiArg = {
  codeIn: CodeIn;
};
export type EnrolTwoFactorApiResponse =
  /** status 200 Successful Response */ TotpEnrolmentOut;
export type EnrolTwoFactorApiArg = void;
export type NewRecoveryCodesApiResponse =
  /** status 200 Successful Response */ RecoveryCodesOut;
export type NewRecoveryCodesApiArg = {
  codeIn: CodeIn;
};
export type VerifyTwoFactorApiResponse =
  /** status 200 Successful Response */ TwoFactorEnabledOut;
export type VerifyTwoFactorApiArg = {
  codeIn: CodeIn;
};
export type LoginApiResponse =
  /** status 200 Successful Response */ TokenPairOut | TwoFactorChallengeOut;
export type LoginApiArg = {
  loginIn: LoginIn;
};
export type LoginTwoFactorApiResponse =
  /** status 200 Successful Response */ TokenPairOut;
export type LoginTwoFactorApiArg = {
  loginTwoFactorIn: LoginTwoFactorIn;
};
export type LogoutApiResponse = unknown;
export type LogoutApiArg = {
  refreshIn: RefreshIn;
};
export type ChangePasswordApiResponse =
  /** status 200 Successful Response */ TokenPairOut;
export type ChangePasswordApiArg = {
  passwordChangeIn: PasswordChangeIn;
};
export type RefreshApiResponse =
  /** status 200 Successful Response */ TokenPairOut;
export type RefreshApiArg = {
  refreshIn: RefreshIn;
};
export type RegisterApiResponse = /** status 201 Successful Response */ UserOut;
export type RegisterApiArg = {
  registerIn: RegisterIn;
};
export type ListBacktestsApiResponse =
  /** status 200 Successful Response */ JobOut[];
export type ListBacktestsApiArg = {
  limit?: number;
  offset?: number;
  status?: JobStatus | null;
};
export type SubmitBacktestApiResponse =
  /** status 202 Successful Response */ JobDetailOut;
export type SubmitBacktestApiArg = {
  backtestIn: BacktestIn;
};
export type ListDatasetsApiResponse =
  /** status 200 Successful Response */ DatasetOut[];
export type ListDatasetsApiArg = void;
export type DeleteDatasetApiResponse = unknown;
export type DeleteDatasetApiArg = {
  name: string;
};
export type UploadDatasetApiResponse =
  /** status 201 Successful Response */ DatasetOut;
export type UploadDatasetApiArg = {
  name: string;
  body: Blob;
};
export type ListStrategiesApiResponse =
  /** status 200 Successful Response */ StrategyOut[];
export type ListStrategiesApiArg = void;
export type CancelBacktestApiResponse =
  /** status 200 Successful Response */ JobDetailOut;
export type CancelBacktestApiArg = {
  runId: string;
};
export type GetBacktestApiResponse =
  /** status 200 Successful Response */ JobDetailOut;
export type GetBacktestApiArg = {
  runId: string;
};
export type GetBacktestEquityApiResponse =
  /** status 200 Successful Response */ BacktestEquityPointOut[];
export type GetBacktestEquityApiArg = {
  runId: string;
};
export type GetReportApiResponse = /** status 200 Successful Response */ string;
export type GetReportApiArg = {
  runId: string;
};
export type DownloadReportApiResponse =
  /** status 200 The report, as an attachment */ string;
export type DownloadReportApiArg = {
  runId: string;
};
export type GetTradesApiResponse =
  /** status 200 Successful Response */ TradeOut[];
export type GetTradesApiArg = {
  runId: string;
};
export type ListBreakersApiResponse =
  /** status 200 Successful Response */ BreakersOut;
export type ListBreakersApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type BreakerHistoryApiResponse =
  /** status 200 Successful Response */ BreakerTransitionOut[];
export type BreakerHistoryApiArg = {
  scope?: string | null;
  key?: string | null;
  since?: string | null;
  limit?: number;
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type ListClassesApiResponse =
  /** status 200 Successful Response */ ClassOut[];
export type ListClassesApiArg = void;
export type CreateClassApiResponse =
  /** status 201 Successful Response */ ClassOut;
export type CreateClassApiArg = {
  classIn: ClassIn;
};
export type JoinClassApiResponse =
  /** status 200 Successful Response */ ClassOut;
export type JoinClassApiArg = {
  joinIn: JoinIn;
};
export type GetClassApiResponse =
  /** status 200 Successful Response */ ClassOut;
export type GetClassApiArg = {
  classId: string;
};
export type PatchClassApiResponse =
  /** status 200 Successful Response */ ClassOut;
export type PatchClassApiArg = {
  classId: string;
  classPatchIn: ClassPatchIn;
};
export type ChangeClassClockApiResponse =
  /** status 200 Successful Response */ ScenarioOut;
export type ChangeClassClockApiArg = {
  classId: string;
  clockChangeIn: ClockChangeIn;
};
export type SkipClassClockApiResponse =
  /** status 200 Successful Response */ ScenarioOut;
export type SkipClassClockApiArg = {
  classId: string;
  skipIn: SkipIn;
};
export type GetLeaderboardApiResponse =
  /** status 200 Successful Response */ LeaderboardOut;
export type GetLeaderboardApiArg = {
  classId: string;
  /** Rank by this score instead of the class's own. */
  score?: ("sharpe" | "sortino" | "calmar") | null;
};
export type ExportLeaderboardApiResponse =
  /** status 200 Successful Response */ string;
export type ExportLeaderboardApiArg = {
  classId: string;
  /** Rank by this score instead of the class's own. */
  score?: ("sharpe" | "sortino" | "calmar") | null;
};
export type ImportRosterApiResponse =
  /** status 201 Successful Response */ RosterOut;
export type ImportRosterApiArg = {
  classId: string;
  rosterIn: RosterIn;
};
export type GetStandingsApiResponse =
  /** status 200 Successful Response */ LeaderboardOut;
export type GetStandingsApiArg = {
  classId: string;
};
export type ListStudentsApiResponse =
  /** status 200 Successful Response */ StudentOut[];
export type ListStudentsApiArg = {
  classId: string;
};
export type GetStudentApiResponse =
  /** status 200 Successful Response */ StudentDetailOut;
export type GetStudentApiArg = {
  classId: string;
  userId: string;
};
export type SendFeedbackApiResponse =
  /** status 201 Successful Response */ FeedbackReceiptOut;
export type SendFeedbackApiArg = {
  feedbackIn: FeedbackIn;
};
export type ListGlossaryApiResponse =
  /** status 200 Successful Response */ GlossaryEntryOut[];
export type ListGlossaryApiArg = void;
export type GlossaryEntryApiResponse =
  /** status 200 Successful Response */ GlossaryEntryOut;
export type GlossaryEntryApiArg = {
  slug: string;
};
export type ListAccountRequestsApiResponse =
  /** status 200 Successful Response */ PendingAccountRequestOut[];
export type ListAccountRequestsApiArg = void;
export type DecideAccountRequestsApiResponse =
  /** status 200 Successful Response */ AccountDecisionsOut;
export type DecideAccountRequestsApiArg = {
  accountDecisionsIn: AccountDecisionsIn;
};
export type ListPendingApiResponse =
  /** status 200 Successful Response */ PendingApprovalOut[];
export type ListPendingApiArg = void;
export type DecideApiResponse =
  /** status 200 Successful Response */ DecisionsOut;
export type DecideApiArg = {
  decisionsIn: DecisionsIn;
};
export type ApproveApiResponse = /** status 200 Successful Response */ OrderOut;
export type ApproveApiArg = {
  orderId: string;
  body: ApproveIn | null;
};
export type RejectApiResponse = /** status 200 Successful Response */ OrderOut;
export type RejectApiArg = {
  orderId: string;
  rejectIn: RejectIn;
};
export type CreateInvitationApiResponse =
  /** status 201 Successful Response */ InvitationOut;
export type CreateInvitationApiArg = void;
export type MyLinksApiResponse =
  /** status 200 Successful Response */ LinkOut[];
export type MyLinksApiArg = void;
export type RedeemApiResponse = /** status 201 Successful Response */ LinkOut;
export type RedeemApiArg = {
  redeemIn: RedeemIn;
};
export type ListMinorsApiResponse =
  /** status 200 Successful Response */ MinorOut[];
export type ListMinorsApiArg = void;
export type UnlinkApiResponse = unknown;
export type UnlinkApiArg = {
  minorId: string;
};
export type MinorAccountsApiResponse =
  /** status 200 Successful Response */ AccountOut[];
export type MinorAccountsApiArg = {
  minorId: string;
};
export type OpenMinorAccountApiResponse =
  /** status 201 Successful Response */ AccountOut;
export type OpenMinorAccountApiArg = {
  minorId: string;
  minorAccountIn: MinorAccountIn;
};
export type MinorAccountApiResponse =
  /** status 200 Successful Response */ AccountOut;
export type MinorAccountApiArg = {
  minorId: string;
  accountId: string;
};
export type MinorEquityApiResponse =
  /** status 200 Successful Response */ EquityPointOut[];
export type MinorEquityApiArg = {
  minorId: string;
  accountId: string;
  epoch?: number | null;
  limit?: number;
};
export type MinorLedgerApiResponse =
  /** status 200 Successful Response */ LedgerEntryOut[];
export type MinorLedgerApiArg = {
  minorId: string;
  accountId: string;
  epoch?: number | null;
  limit?: number;
  beforeSequence?: number | null;
};
export type MinorOrdersApiResponse =
  /** status 200 Successful Response */ OrderOut[];
export type MinorOrdersApiArg = {
  minorId: string;
  accountId: string;
  status?: string[];
  limit?: number;
  before?: string | null;
};
export type MinorPositionsApiResponse =
  /** status 200 Successful Response */ PositionOut[];
export type MinorPositionsApiArg = {
  minorId: string;
  accountId: string;
};
export type GetLimitsApiResponse =
  /** status 200 Successful Response */ LimitsOut;
export type GetLimitsApiArg = {
  minorId: string;
};
export type UpdateLimitsApiResponse =
  /** status 200 Successful Response */ LimitsOut;
export type UpdateLimitsApiArg = {
  minorId: string;
  limitsIn: LimitsIn;
};
export type SetLimitsApiResponse =
  /** status 200 Successful Response */ LimitsOut;
export type SetLimitsApiArg = {
  minorId: string;
  limitsIn: LimitsIn;
};
export type ListInstrumentsApiResponse =
  /** status 200 Successful Response */ InstrumentOut[];
export type ListInstrumentsApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type ListBarsApiResponse =
  /** status 200 Successful Response */ BarOut[];
export type ListBarsApiArg = {
  symbol: string;
  /** first date, inclusive */
  start?: string | null;
  /** last date, inclusive */
  end?: string | null;
  limit?: number;
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type GetQuoteApiResponse =
  /** status 200 Successful Response */ QuoteOut;
export type GetQuoteApiArg = {
  symbol: string;
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type ListLessonsApiResponse =
  /** status 200 Successful Response */ LessonSummaryOut[];
export type ListLessonsApiArg = void;
export type LessonCheckApiResponse =
  /** status 200 Successful Response */ CheckOut;
export type LessonCheckApiArg = {
  code: string;
};
export type LessonProgressApiResponse =
  /** status 200 Successful Response */ ProgressOut;
export type LessonProgressApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type LessonRequirementsApiResponse =
  /** status 200 Successful Response */ RequirementOut[];
export type LessonRequirementsApiArg = {
  accountId: string;
};
export type SetLessonRequirementsApiResponse =
  /** status 200 Successful Response */ RequirementOut[];
export type SetLessonRequirementsApiArg = {
  accountId: string;
  requirementsIn: RequirementsIn;
};
export type ReviewQueueApiResponse =
  /** status 200 Successful Response */ ReviewQueueOut;
export type ReviewQueueApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type GetLessonApiResponse =
  /** status 200 Successful Response */ LessonOut;
export type GetLessonApiArg = {
  slug: string;
};
export type AnswerQuizApiResponse =
  /** status 200 Successful Response */ QuizResultOut;
export type AnswerQuizApiArg = {
  slug: string;
  quizIn: QuizIn;
};
export type MarketClockApiResponse =
  /** status 200 Successful Response */ MarketClockOut;
export type MarketClockApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type MeApiResponse = /** status 200 Successful Response */ UserOut;
export type MeApiArg = void;
export type MyFlagsApiResponse =
  /** status 200 Successful Response */ MyFlagsOut;
export type MyFlagsApiArg = void;
export type ListModelsApiResponse =
  /** status 200 Successful Response */ ModelOut[];
export type ListModelsApiArg = {
  symbol?: string | null;
};
export type ListOrdersApiResponse =
  /** status 200 Successful Response */ OrderOut[];
export type ListOrdersApiArg = {
  accountId?: string | null;
  status?: string[];
  symbol?: string | null;
  limit?: number;
  before?: string | null;
};
export type PlaceOrderApiResponse =
  /** status 201 Successful Response */ OrderOut;
export type PlaceOrderApiArg = {
  orderIn: OrderIn;
};
export type PreviewOrderApiResponse =
  /** status 200 Successful Response */ OrderPreviewOut;
export type PreviewOrderApiArg = {
  orderIn: OrderIn;
};
export type CancelOrderApiResponse =
  /** status 200 Successful Response */ OrderOut;
export type CancelOrderApiArg = {
  orderId: string;
};
export type GetOrderApiResponse =
  /** status 200 Successful Response */ OrderDetailOut;
export type GetOrderApiArg = {
  orderId: string;
};
export type ListQuotesApiResponse =
  /** status 200 Successful Response */ QuoteOut[];
export type ListQuotesApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type RiskParametersApiResponse =
  /** status 200 Successful Response */ RiskParametersOut;
export type RiskParametersApiArg = {
  symbol?: string;
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type ListScenariosApiResponse =
  /** status 200 Successful Response */ ScenarioOut[];
export type ListScenariosApiArg = void;
export type CreateScenarioApiResponse =
  /** status 201 Successful Response */ ScenarioOut;
export type CreateScenarioApiArg = {
  scenarioIn: ScenarioIn;
};
export type GetScenarioApiResponse =
  /** status 200 Successful Response */ ScenarioOut;
export type GetScenarioApiArg = {
  scenarioId: string;
};
export type ChangeScenarioClockApiResponse =
  /** status 200 Successful Response */ ScenarioOut;
export type ChangeScenarioClockApiArg = {
  scenarioId: string;
  clockChangeIn: ClockChangeIn;
};
export type SkipScenarioClockApiResponse =
  /** status 200 Successful Response */ ScenarioOut;
export type SkipScenarioClockApiArg = {
  scenarioId: string;
  skipIn: SkipIn;
};
export type ScenarioEventsApiResponse =
  /** status 200 Successful Response */ ScenarioEventOut[];
export type ScenarioEventsApiArg = {
  scenarioId: string;
  limit?: number;
};
export type ListSignalsApiResponse =
  /** status 200 Successful Response */ SignalOut[];
export type ListSignalsApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type ListClassFeedbackApiResponse =
  /** status 200 Successful Response */ FeedbackListOut;
export type ListClassFeedbackApiArg = {
  /** only what the students of this class of yours sent */
  classId?: string | null;
  status?: ("new" | "triaged" | "done") | null;
  /** paths starting with this */
  page?: string | null;
  limit?: number;
  offset?: number;
};
export type GetClassFeedbackApiResponse =
  /** status 200 Successful Response */ FeedbackDetailOut;
export type GetClassFeedbackApiArg = {
  feedbackId: string;
};
export type TriageClassFeedbackApiResponse =
  /** status 200 Successful Response */ FeedbackDetailOut;
export type TriageClassFeedbackApiArg = {
  feedbackId: string;
  feedbackPatchIn: FeedbackPatchIn;
};
export type ListVolatilityApiResponse =
  /** status 200 Successful Response */ VolatilityOut[];
export type ListVolatilityApiArg = {
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type GetVolatilityApiResponse =
  /** status 200 Successful Response */ VolatilityOut;
export type GetVolatilityApiArg = {
  symbol: string;
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type RegimeHistoryApiResponse =
  /** status 200 Successful Response */ RegimeChangeOut[];
export type RegimeHistoryApiArg = {
  symbol: string;
  limit?: number;
  /** The scenario (market) to read; `default` when left out. */
  scenario?: string;
};
export type WebsocketMessagesApiResponse =
  /** status 200 Successful Response */ WebSocketProtocolOut;
export type WebsocketMessagesApiArg = void;
export type HealthzApiResponse = /** status 200 Successful Response */ {
  [key: string]: string;
};
export type HealthzApiArg = void;
export type ReadyzApiResponse = /** status 200 Successful Response */ {
  [key: string]: string;
};
export type ReadyzApiArg = void;
export type AccountRequestOut = {
  account_id: string | null;
  created_at: string;
  decided_at: string | null;
  id: string;
  kind: "open" | "reset";
  minor_id: string;
  name: string | null;
  reason: string | null;
  scenario_id: string | null;
  starting_cash: string | null;
  status: "pending" | "approved" | "rejected";
};
export type Problem = {
  detail: string;
  /** The numbers behind `detail`, by name, as plain decimal strings. */
  figures?: {
    [key: string]: string | number;
  };
  /** The glossary entry that explains it, when no lesson does. */
  glossary?: string;
  instance?: string;
  /** The lesson that explains this problem (`/api/v1/lessons/<slug>`). */
  lesson?: string;
  status: number;
  title: string;
  type: string;
  [key: string]: any;
};
export type PositionOut = {
  average_cost: string;
  commission_paid: string;
  market_price: string | null;
  market_value: string | null;
  quantity: string;
  realized_pnl: string;
  symbol: string;
  unrealized_pnl: string | null;
};
export type AccountOut = {
  buying_power: string;
  cash: string;
  created_at: string;
  epoch: number;
  equity: string;
  id: string;
  name: string;
  positions: PositionOut[];
  realized_pnl: string;
  reset_at: string | null;
  /** The market (scenario) the account trades in. */
  scenario_id: string;
  starting_cash: string;
  unrealized_pnl: string;
};
export type ValidationProblem = Problem & {
  errors?: {
    loc?: (string | number)[];
    msg?: string;
    type?: string | null;
  }[];
};
export type AccountIn = {
  name?: string;
  /** The market to trade in (GET /scenarios); the default replay when left out. */
  scenario_id?: string;
  /** virtual cash to start with (default 100,000; bounded by the server) */
  starting_cash?: number | string | null;
};
export type AutopilotDecisionOut = {
  account_id: string;
  action: "buy" | "sell" | "hold";
  code: string | null;
  figures: {
    [key: string]: any;
  };
  id: string;
  model_version: string;
  order_id: string | null;
  outcome: "ordered" | "waiting_for_guardian" | "refused" | "held";
  quantity: string;
  reason: string;
  signal_day: string;
  symbol: string;
  time: string;
};
export type AutopilotOut = {
  account_id: string;
  decisions: AutopilotDecisionOut[];
  enabled: boolean;
  explanation?: string;
};
export type AutopilotIn = {
  enabled: boolean;
};
export type EquityPointOut = {
  cash: string;
  equity: string;
  time: string;
};
export type LedgerEntryOut = {
  amount: string;
  balance_after: string;
  epoch: number;
  kind: string;
  memo: string;
  reference: string | null;
  sequence: number;
  time: string;
};
export type ResetIn = {
  starting_cash?: number | string | null;
};
export type LossCooldown = {
  cooldown_minutes?: number;
  losing_trades?: number;
};
export type StopLossGuard = {
  pause_minutes?: number;
  stop_exits?: number;
  window_minutes?: number;
};
export type RiskLimitsOut = {
  daily_loss_pct: string | null;
  loss_cooldown: LossCooldown | null;
  max_drawdown_pct: string | null;
  stoploss_guard: StopLossGuard | null;
};
export type RuleSetters = {
  daily_loss: string;
  drawdown: string;
  loss_cooldown: string;
  stoploss_guard: string;
};
export type AccountRiskOut = {
  account_id: string;
  breaker_level: string;
  caller: "owner" | "guardian";
  guardian: RiskLimitsOut | null;
  guardian_name: string | null;
  in_force: RiskLimitsOut;
  own: RiskLimitsOut;
  set_by: RuleSetters;
};
export type RiskLimitsIn = {
  /** Loss from the session's start (%) that restricts; null: off */
  daily_loss_pct?: (number | string) | null;
  loss_cooldown?: LossCooldown | null;
  /** Fall from the peak equity (%) that restricts; null: off */
  max_drawdown_pct?: (number | string) | null;
  stoploss_guard?: StopLossGuard | null;
};
export type BreakerTransitionOut = {
  at: string;
  enforced: boolean;
  figures: {
    [key: string]: any;
  };
  from_level: string;
  id?: number | null;
  kind: string;
  lesson?: string | null;
  reason: string;
  reopen_at: string | null;
  rule: string;
  scope: string;
  scope_key: string;
  to_level: string;
};
export type ForceIn = {
  reason?: string | null;
  scope?: "market" | "symbol";
  symbol?: string | null;
};
export type Cohort = "general" | "beta";
export type CohortOut = {
  cohort: Cohort;
  email: string;
  user_id: string;
};
export type CohortIn = {
  cohort: Cohort;
  email: string;
};
export type FeedbackOut = {
  cohort: string;
  /** each flag's value for the sender when it arrived */
  flags: {
    [key: string]: any;
  };
  has_app_state: boolean;
  id: string;
  market_time: string | null;
  note: string;
  page: string;
  recorded_at: string;
  scenario_id: string | null;
  status: "new" | "triaged" | "done";
  text: string;
  triaged_by: string | null;
  updated_at: string;
  user_email: string;
  user_id: string;
  user_name: string;
};
export type FeedbackListOut = {
  /** how many of each status, over all the feedback you may triage (a teacher's class filter applies; the status and page filters do not) */
  counts: {
    [key: string]: number;
  };
  items: FeedbackOut[];
  /** how many match the filter (the page holds at most `limit`) */
  total: number;
};
export type FeedbackDetailOut = {
  app_state: {
    [key: string]: any;
  } | null;
  cohort: string;
  /** each flag's value for the sender when it arrived */
  flags: {
    [key: string]: any;
  };
  has_app_state: boolean;
  id: string;
  market_time: string | null;
  note: string;
  page: string;
  recorded_at: string;
  scenario_id: string | null;
  status: "new" | "triaged" | "done";
  text: string;
  triaged_by: string | null;
  updated_at: string;
  user_email: string;
  user_id: string;
  user_name: string;
};
export type FeedbackPatchIn = {
  note?: string | null;
  status?: ("new" | "triaged" | "done") | null;
};
export type FlagOut = {
  /** an admin changed it (else: as in the flags file) */
  changed: boolean;
  /** the variant each cohort gets; None when the file's own targeting applies */
  cohorts: {
    [key: string]: string;
  } | null;
  default_variant: string;
  description: string;
  key: string;
  state: "ENABLED" | "DISABLED";
  /** the JSON Logic rule flagd evaluates */
  targeting: {
    [key: string]: any;
  } | null;
  updated_at?: string | null;
  updated_by?: string | null;
  variants: {
    [key: string]: boolean | string | number | number;
  };
};
export type FlagsOut = {
  cohorts: Cohort[];
  flags: FlagOut[];
  /** True when a flagd server manages them: change them there */
  read_only: boolean;
  /** where the flags are evaluated: the flags file or a flagd server */
  source: string;
};
export type AdminEventOut = {
  action: string;
  actor: string;
  detail: {
    [key: string]: any;
  };
  recorded_at: string;
  subject: string;
};
export type FlagPatchIn = {
  /** the variant each cohort gets (cohorts left out get the default variant) */
  cohorts?: {
    [key: string]: string;
  } | null;
  default_variant?: string | null;
  state?: ("ENABLED" | "DISABLED") | null;
};
export type NewTeacherOut = {
  email: string;
  /** Shown this once; changed at first sign-in. */
  one_time_password: string;
  user_id: string;
};
export type NewTeacherIn = {
  date_of_birth: string;
  display_name: string;
  email: string;
};
export type AdminUserOut = {
  /** How many paper accounts the user has */
  accounts: number;
  /** False once an admin switched the user off: no sign-in */
  active: boolean;
  /** Which feature flags' cohort the user is in; an admin sets it with PUT /admin/cohorts */
  cohort: Cohort;
  created_at: string;
  display_name: string;
  email: string;
  id: string;
  /** Under 18 today: trades with a guardian's approval */
  minor: boolean;
  role: string;
  two_factor: boolean;
};
export type UserPageOut = {
  items: AdminUserOut[];
  /** Users matching the search, over all pages */
  total: number;
};
export type Role = "learner" | "guardian" | "teacher" | "admin";
export type PersonOut = {
  display_name: string;
  id: string;
};
export type AdminAccountOut = {
  cash: string;
  created_at: string;
  id: string;
  name: string;
  scenario_id: string;
  starting_cash: string;
};
export type AdminUserDetailOut = {
  /** How many paper accounts the user has */
  accounts: number;
  /** False once an admin switched the user off: no sign-in */
  active: boolean;
  /** Which feature flags' cohort the user is in; an admin sets it with PUT /admin/cohorts */
  cohort: Cohort;
  created_at: string;
  display_name: string;
  email: string;
  /** For a minor: the linked guardians */
  guardians: PersonOut[];
  id: string;
  /** Under 18 today: trades with a guardian's approval */
  minor: boolean;
  /** For a guardian: the linked minors */
  minors: PersonOut[];
  paper_accounts: AdminAccountOut[];
  role: string;
  two_factor: boolean;
};
export type UserChangeIn = {
  /** false: the user can no longer sign in and every session ends at once; true: they can sign in again */
  active: boolean;
};
export type CodeIn = {
  /** A 6-digit authenticator code or a recovery code */
  code: string;
};
export type TotpEnrolmentOut = {
  otpauth_uri: string;
  /** The otpauth URI as a QR code, an SVG `data:` URI */
  qr_svg: string;
  /** Base32 secret, for authenticator apps that cannot scan */
  secret: string;
};
export type RecoveryCodesOut = {
  /** Shown once; each works once */
  recovery_codes: string[];
};
export type TokenPairOut = {
  access_token: string;
  /** Seconds until the access token expires */
  expires_in: number;
  refresh_token: string;
  token_type?: "bearer";
};
export type TwoFactorEnabledOut = {
  /** Shown once; each works once */
  recovery_codes: string[];
  /** A new sign-in for this device: every older session was ended when 2FA came on */
  tokens: TokenPairOut;
};
export type TwoFactorChallengeOut = {
  challenge_token: string;
  two_factor_required?: true;
};
export type LoginIn = {
  email: string;
  password: string;
};
export type LoginTwoFactorIn = {
  challenge_token: string;
  /** A 6-digit authenticator code or a recovery code */
  code: string;
};
export type RefreshIn = {
  refresh_token: string;
};
export type PasswordChangeIn = {
  code?: string | null;
  current_password: string;
  new_password: string;
};
export type UserOut = {
  /** `general` or `beta`: who sees flagged features first */
  cohort: string;
  created_at: string;
  date_of_birth: string;
  display_name: string;
  email: string;
  id: string;
  is_minor: boolean;
  /** True while signed in with a one-time password (a roster import, a teacher an admin made): choose your own (POST /auth/password) first. */
  one_time_sign_in?: boolean;
  role: string;
  two_factor_enabled: boolean;
};
export type RegisterIn = {
  date_of_birth: string;
  display_name: string;
  email: string;
  password: string;
  role?: "learner" | "guardian";
};
export type JobStatus =
  "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type JobOut = {
  created_at: string;
  dataset: string | null;
  duration_seconds: number | null;
  error: string | null;
  final_equity: number | null;
  finished_at: string | null;
  id: string;
  note?: string | null;
  progress: number;
  return_pct: number | null;
  started_at: string | null;
  status: JobStatus;
  strategy: string;
  symbol: string | null;
  trade_count: number | null;
};
export type JobDetailOut = {
  created_at: string;
  dataset: string | null;
  duration_seconds: number | null;
  error: string | null;
  final_equity: number | null;
  finished_at: string | null;
  id: string;
  links: {
    [key: string]: string;
  };
  note?: string | null;
  progress: number;
  request: {
    [key: string]: any;
  };
  return_pct: number | null;
  started_at: string | null;
  stats: {
    [key: string]: any;
  } | null;
  status: JobStatus;
  strategy: string;
  symbol: string | null;
  trade_count: number | null;
};
export type FillTiming = "next-open" | "close";
export type Sizing = "all-in" | "fraction" | "fixed" | "vol-target";
export type BacktestIn = {
  breakers?: boolean;
  /** starting cash (bounded by the server's maximum starting cash) */
  cash?: number | string;
  close_at_end?: boolean;
  /** fraction of each fill */
  commission?: number;
  /** name of one of your uploaded OHLCV files (GET /backtests/datasets) */
  dataset?: string | null;
  fill?: FillTiming;
  /** equity fraction (fraction) */
  fraction?: number;
  /** first date, inclusive */
  from?: string | null;
  long_short?: boolean;
  /** strategy parameters by name */
  params?: {
    [key: string]: number;
  };
  /** a market whose replay the test must not see past (besides your accounts' markets and the default one) */
  scenario?: string | null;
  sizing?: Sizing;
  /** adverse slippage, fraction */
  slippage?: number;
  /** full bid/ask spread, fraction */
  spread?: number;
  strategy?: string;
  /** a bundled history: SPX, IXIC, GOOG, EURUSD */
  symbol?: string | null;
  /** annualised (vol-target) */
  target_vol?: number;
  /** last date, inclusive */
  to?: string | null;
  /** units per order (fixed) */
  units?: number;
};
export type DatasetOut = {
  name: string;
  size: number;
  uploaded_at: string;
};
export type ParamOut = {
  default: number;
  help: string;
  high: number | null;
  low: number | null;
  name: string;
  type: string;
};
export type StrategyOut = {
  description: string;
  name: string;
  params: ParamOut[];
};
export type BacktestEquityPointOut = {
  drawdown: number;
  equity: number;
  time: string;
};
export type TradeOut = {
  entry_price: number;
  entry_time: string;
  exit_price: number;
  exit_time: string;
  pnl: number;
  size: number;
};
export type BreakerOut = {
  breaker: string;
  cause: string;
  condition?: string | null;
  effective_level: string;
  figures?: {
    [key: string]: any;
  };
  key: string;
  lesson?: string | null;
  level: string;
  mode: string;
  pinned: boolean;
  probing: boolean;
  reason: string;
  reopen_at: string | null;
  rule: string;
  scope: string;
  since: string | null;
  trips: number;
};
export type BreakersOut = {
  breakers: BreakerOut[];
  market_time: string | null;
};
export type ClassOut = {
  created_at: string;
  id: string;
  /** Shown to the class's teacher and admins only. */
  join_code: string | null;
  /** The class's rule: one position at most this share of the starting cash. */
  max_position_fraction: string | null;
  /** For a student: their account in the class. */
  my_account_id: string | null;
  name: string;
  required_lessons: {
    [key: string]: string;
  };
  scenario_id: string;
  score: "sharpe" | "sortino" | "calmar";
  /** Shown to the class's teacher and admins only. */
  student_count: number | null;
  teacher_name: string;
};
export type ScenarioIn = {
  allow_short?: boolean;
  breaker_mode?: "enforce" | "measure";
  /** `upload` only: names of your uploaded files (GET /backtests/datasets); each becomes one symbol named after its file (`crash.csv` → CRASH). */
  datasets?: string[] | null;
  description?: string;
  /** A rule: one position may be worth at most this share of the account's starting cash (0.5: no single position above 50 %); null: no such rule. */
  max_position_fraction?: number | string | null;
  name: string;
  /** Create it with its clock stopped. */
  paused?: boolean;
  /** Real seconds per trading day. */
  seconds_per_day?: number;
  /** `simulator` only: the same seed gives the same market; left out: a new one. */
  seed?: number | null;
  /** `replay`: bundled history; `simulator`: the six fictional classroom tickers only, simulated from `seed`; `upload`: your files named in `datasets`. */
  source?: "replay" | "simulator" | "upload";
  /** First replayed day (the first trading day on or after). */
  start_date: string;
  starting_cash?: number | string;
  /** Symbols to trade; null: every one the source has. */
  universe?: string[] | null;
};
export type ClassIn = {
  name: string;
  /** Feature → lesson: locked on every student's account until mastered. */
  required_lessons?: {
    [key: string]: string;
  };
  /** A new market for the class: start date, speed, universe, starting cash, rules (max_position_fraction: no single position above this share of starting cash). */
  scenario?: ScenarioIn | null;
  scenario_id?: string | null;
  /** What ranks the leaderboard. */
  score?: "sharpe" | "sortino" | "calmar";
};
export type JoinIn = {
  code: string;
};
export type ClassPatchIn = {
  name?: string | null;
  score?: ("sharpe" | "sortino" | "calmar") | null;
};
export type ClockOut = {
  /** True once the history has run out. */
  finished: boolean;
  /** The trading day being replayed. */
  market_date: string | null;
  /** Market time of the last instant (UTC). */
  market_time: string | null;
  paused: boolean;
  /** Trading days since the scenario's first day's open. */
  position: number;
  /** True when this server process runs the clock (else the stored clock). */
  running_here: boolean;
  /** Real seconds per trading day while running. */
  seconds_per_day: number;
};
export type ScenarioOut = {
  allow_short: boolean;
  breaker_mode: string;
  clock: ClockOut;
  description: string;
  id: string;
  /** The most one position may be worth, as a share of the starting cash. */
  max_position_fraction: string | null;
  name: string;
  /** The simulator's seed (`simulator` only). */
  seed: number | null;
  /** `replay`, `simulator` or `upload` (see ScenarioIn). */
  source: string;
  start_date: string;
  starting_cash: string;
  status: string;
  /** Symbols traded here; null: every bundled one. */
  universe: string[] | null;
};
export type ClockChangeIn = {
  /** true: stop market time; false: go on. */
  paused?: boolean | null;
  /** Real seconds per trading day (0.5 to 86,400). */
  seconds_per_day?: number | null;
};
export type SkipIn = {
  /** Trading days to jump ahead (every instant is replayed at once, so breakers and resting orders see them all). */
  days: number;
};
export type RegimeFiguresOut = {
  days: number;
  regime: "HIGH" | "EXTREME";
  /** Compounded over those days; null: none. */
  total_return: number | null;
};
export type StandingOut = {
  /** Share of orders no breaker refused or cut; null: no order yet. */
  breaker_compliance: number | null;
  calmar: number | null;
  days: number;
  equity: string;
  /** Share of lessons passed (familiar+). */
  lesson_mastery: number | null;
  max_drawdown: number;
  name: string;
  orders: number;
  rank: number;
  regimes: RegimeFiguresOut[];
  /** The chosen score; null: not enough days yet. */
  score: number | null;
  sharpe: number | null;
  sortino: number | null;
  /** Raw return since the start (0.05 is 5 %). */
  total_return: number;
  user_id: string;
};
export type LeaderboardOut = {
  class_id: string;
  market_date: string | null;
  score: "sharpe" | "sortino" | "calmar";
  standings: StandingOut[];
};
export type NewStudentOut = {
  account_id: string;
  email: string;
  name: string;
  /** Shown this once: the student must choose their own at first sign-in. */
  one_time_password: string;
  row: number;
  user_id: string;
};
export type RosterOut = {
  class_id: string;
  created: NewStudentOut[];
};
export type RosterIn = {
  /** CSV text with a header row: name,email,date_of_birth (YYYY-MM-DD). */
  csv: string;
};
export type StudentOut = {
  account_id: string;
  email: string;
  /** False while the one-time password is unchanged. */
  has_signed_in: boolean;
  is_minor: boolean;
  joined_at: string;
  name: string;
  user_id: string;
  via: string;
};
export type OrderCutOut = {
  detail: string;
  figures: {
    [key: string]: string;
  };
  lesson?: string | null;
  reason: string;
};
export type OrderOut = {
  account_id: string;
  approval_expires_at: string | null;
  average_fill_price: string | null;
  client_order_id: string | null;
  commission_paid: string;
  created_at: string;
  cut?: OrderCutOut | null;
  filled_notional: string;
  filled_quantity: string;
  id: string;
  lesson?: string | null;
  limit_price: string | null;
  market_date?: string | null;
  notional: string | null;
  origin?: "person" | "autopilot";
  quantity: string | null;
  rejection_code: string | null;
  requested_notional?: string | null;
  requested_quantity?: string | null;
  side: string;
  status: string;
  status_reason: string;
  stop_price: string | null;
  symbol: string;
  time_in_force: string;
  type: string;
  updated_at: string;
};
export type SkillMasteryOut = {
  answered: number;
  lessons: string[];
  level: "not_started" | "attempted" | "familiar" | "proficient";
  percent: number;
  right: number;
  skill: string;
  total: number;
};
export type ProgressOut = {
  reviews_due: number;
  skills: SkillMasteryOut[];
};
export type StudentDetailOut = {
  account: AccountOut;
  orders: OrderOut[];
  progress: ProgressOut;
  student: StudentOut;
};
export type FeedbackReceiptOut = {
  flags: {
    [key: string]: any;
  };
  id: string;
  market_time: string | null;
  recorded_at: string;
};
export type FeedbackIn = {
  /** the app's state as JSON, optional, at most 16384 bytes; values under keys naming tokens, passwords or secrets are removed */
  app_state?: {
    [key: string]: any;
  } | null;
  /** the app's path the feedback is about, e.g. `/markets/SPX` */
  page: string;
  scenario_id?: string;
  text: string;
};
export type GlossaryEntryOut = {
  definition: string;
  lesson: string | null;
  slug: string;
  term: string;
};
export type PendingAccountRequestOut = {
  minor_display_name: string;
  minor_id: string;
  request: AccountRequestOut;
};
export type DecisionProblemOut = {
  detail: string;
  status: number;
  type: string;
};
export type AccountDecisionOut = {
  account?: AccountOut | null;
  applied: boolean;
  decision: "approve" | "reject";
  problem?: DecisionProblemOut | null;
  request?: AccountRequestOut | null;
  request_id: string;
};
export type AccountDecisionsOut = {
  results: AccountDecisionOut[];
};
export type AccountDecisionIn = {
  decision: "approve" | "reject";
  reason?: string | null;
  request_id: string;
};
export type AccountDecisionsIn = {
  /** a fresh authenticator code when 2FA is on */
  code?: string | null;
  decisions: AccountDecisionIn[];
};
export type PendingApprovalOut = {
  minor_display_name: string;
  minor_id: string;
  order: OrderOut;
};
export type DecisionOut = {
  applied: boolean;
  decision: "approve" | "reject";
  order?: OrderOut | null;
  order_id: string;
  problem?: DecisionProblemOut | null;
};
export type DecisionsOut = {
  results: DecisionOut[];
};
export type DecisionIn = {
  decision: "approve" | "reject";
  order_id: string;
  reason?: string | null;
};
export type DecisionsIn = {
  /** a fresh authenticator code when 2FA is on */
  code?: string | null;
  decisions: DecisionIn[];
};
export type ApproveIn = {
  /** a fresh authenticator code when 2FA is on */
  code?: string | null;
};
export type RejectIn = {
  reason: string;
};
export type InvitationOut = {
  /** Give this to the minor; shown once, single use */
  code: string;
  expires_at: string;
};
export type LinkOut = {
  guardian_display_name: string;
  guardian_id: string;
  linked_at: string;
  minor_id: string;
};
export type RedeemIn = {
  code: string;
};
export type LimitsOut = {
  max_order_notional: string | null;
  trading_paused: boolean;
};
export type MinorOut = {
  account_ids?: string[];
  date_of_birth: string;
  display_name: string;
  email: string;
  id: string;
  is_minor: boolean;
  limits: LimitsOut;
  linked_at: string;
};
export type MinorAccountIn = {
  name?: string;
  scenario_id?: string;
  starting_cash?: number | string | null;
};
export type LimitsIn = {
  /** Largest notional of one order in account currency; null for no limit; left out: unchanged */
  max_order_notional?: number | string | null;
  /** Stop the minor placing new orders; left out: unchanged */
  trading_paused?: boolean | null;
};
export type InstrumentOut = {
  asset_class: string;
  first_date: string;
  frequency: string;
  last_date: string;
  live: boolean;
  name: string;
  not_tradable_because?: string | null;
  quoted?: boolean;
  source: string;
  symbol: string;
  tradable: boolean;
};
export type BarOut = {
  close: string;
  high: string;
  low: string;
  open: string;
  symbol: string;
  time: string;
  volume: string;
};
export type QuoteOut = {
  ask: string;
  ask_size?: string | null;
  bid: string;
  bid_size?: string | null;
  last: string;
  symbol: string;
  time: string;
};
export type LessonSummaryOut = {
  mastery: SkillMasteryOut;
  position: number;
  questions: number;
  skill: string;
  slug: string;
  summary: string;
  title: string;
  url: string;
};
export type ChoiceOut = {
  key: string;
  text: string;
};
export type QuestionOut = {
  choices: ChoiceOut[];
  id: string;
  lesson: string;
  text: string;
};
export type CheckOut = {
  code: string;
  lesson: string | null;
  offered: boolean;
  questions: QuestionOut[];
  url: string | null;
};
export type RequirementOut = {
  feature: "limit_orders" | "stop_orders" | "short_selling";
  lesson: string;
  set_by: "owner" | "guardian" | "teacher";
  title: string;
  unlocked: boolean;
  url: string;
};
export type RequirementsIn = {
  requirements: {
    [key: string]: string;
  };
};
export type ReviewQueueOut = {
  market_date: string | null;
  questions: QuestionOut[];
  scenario_id: string;
};
export type RefusalOut = {
  account_id: string | null;
  amount: string | null;
  code: string;
  detail: string;
  figures: {
    [key: string]: any;
  };
  lesson: string | null;
  market_time: string | null;
  order_type: string | null;
  scenario_id: string | null;
  side: string | null;
  symbol: string | null;
};
export type RefusalPiece = {
  kind?: "last-refusal";
  refusal: RefusalOut | null;
};
export type RegimePiece = {
  as_of: string | null;
  breaker_level: string;
  figures: {
    [key: string]: number;
  };
  kind?: "spx-regime";
  reason: string;
  regime: string;
  scenario_id: string;
  symbol: string;
};
export type LessonOut = {
  figures: {
    [key: string]: string;
  };
  glossary: string[];
  html: string;
  interactive?:
    | (
        | ({
            kind: "last-refusal";
          } & RefusalPiece)
        | ({
            kind: "spx-regime";
          } & RegimePiece)
      )
    | null;
  markdown: string;
  mastery: SkillMasteryOut;
  position: number;
  questions: number;
  quiz: QuestionOut[];
  skill: string;
  slug: string;
  summary: string;
  title: string;
  url: string;
};
export type QuestionResultOut = {
  answer: string;
  chosen: string;
  correct: boolean;
  explanation: string;
  feedback: string | null;
  question_id: string;
};
export type QuizResultOut = {
  answered: number;
  lesson: string;
  mastery: SkillMasteryOut;
  results: QuestionResultOut[];
  right: number;
};
export type QuizIn = {
  answers: {
    [key: string]: string;
  };
  scenario_id?: string;
};
export type MarketClockOut = {
  finished: boolean;
  market_date: string | null;
  market_time: string | null;
};
export type EvaluatedFlagOut = {
  /** why: TARGETING_MATCH, DEFAULT, STATIC, DISABLED, ERROR … */
  reason: string;
  value: boolean | string | number | number;
  /** the variant chosen, None when evaluation failed */
  variant: string | null;
};
export type MyFlagsOut = {
  cohort: Cohort;
  /** every flag, by key, for the caller */
  flags: {
    [key: string]: EvaluatedFlagOut;
  };
};
export type ModelOut = {
  code_version: string;
  /** first day of the history it was trained on */
  data_from: string;
  /** last day of the history it was trained on */
  data_to: string;
  features: string[];
  parameters: {
    [key: string]: any;
  };
  /** the walk-forward scorecard, as `keel evaluate --json` writes it */
  scorecard: {
    [key: string]: any;
  };
  seed: number;
  symbol: string;
  /** hash of the data range, parameters, seed and code version */
  version: string;
};
export type OrderIn = {
  account_id: string;
  client_order_id?: string | null;
  limit_price?: number | string | null;
  notional?: number | string | null;
  quantity?: number | string | null;
  side: "buy" | "sell";
  stop_price?: number | string | null;
  symbol: string;
  time_in_force?: "day" | "gtc";
  type?: "market" | "limit" | "stop" | "stop_limit";
};
export type PreviewEstimateOut = {
  commission: string;
  cost: string;
  notional: string;
  price: string | null;
  quantity: string;
};
export type PreviewFindingOut = {
  breaker?: string | null;
  code: string;
  detail: string;
  effect: "refuse" | "cut";
  figures?: {
    [key: string]: string | number | number;
  };
  glossary?: string | null;
  lesson?: string | null;
  reason?: string | null;
  type: string;
};
export type OrderPreviewOut = {
  breakers: BreakerOut[];
  buying_power: string;
  buying_power_after: string | null;
  code?: string | null;
  cut?: OrderCutOut | null;
  detail: string;
  estimate: PreviewEstimateOut;
  findings: PreviewFindingOut[];
  market_time: string | null;
  notional: string | null;
  outcome: "accepted" | "refused" | "waits_for_guardian" | "repeat";
  quantity: string | null;
  regime: string | null;
  repeat_of?: string | null;
  requested_notional: string | null;
  requested_quantity: string | null;
  side: string;
  symbol: string;
  type?: string | null;
};
export type OrderEventOut = {
  code: string | null;
  from_status: string | null;
  reason: string;
  sequence: number;
  time: string;
  to_status: string;
};
export type FillOut = {
  commission: string;
  id: string;
  order_id: string;
  price: string;
  quantity: string;
  side: string;
  symbol: string;
  time: string;
};
export type OrderDetailOut = {
  account_id: string;
  approval_expires_at: string | null;
  average_fill_price: string | null;
  client_order_id: string | null;
  commission_paid: string;
  created_at: string;
  cut?: OrderCutOut | null;
  events?: OrderEventOut[];
  filled_notional: string;
  filled_quantity: string;
  fills?: FillOut[];
  id: string;
  lesson?: string | null;
  limit_price: string | null;
  market_date?: string | null;
  notional: string | null;
  origin?: "person" | "autopilot";
  quantity: string | null;
  rejection_code: string | null;
  requested_notional?: string | null;
  requested_quantity?: string | null;
  side: string;
  status: string;
  status_reason: string;
  stop_price: string | null;
  symbol: string;
  time_in_force: string;
  type: string;
  updated_at: string;
};
export type RegimeParametersOut = {
  confidence_threshold: number;
  fitted_on_until: string | null;
  leverage_cap: number;
  lookback_days: number;
  realized_vol: number | null;
  regime: string;
  samples: number;
  size_multiplier: number;
  target_vol: number;
};
export type RiskParametersOut = {
  as_of: string;
  current: RegimeParametersOut;
  per_regime: RegimeParametersOut[];
  regime: string;
  symbol: string;
};
export type ScenarioEventOut = {
  action: string;
  actor: string;
  detail: {
    [key: string]: any;
  };
  id: number;
  market_time: string | null;
  /** Wall time of the change (audit). */
  recorded_at: string;
};
export type FeatureOut = {
  feature: string;
  /** how much this feature pushed the logistic member up (+) or down (−) */
  log_odds: number;
};
export type SignalOut = {
  /** the last completed trading day the signal is computed from */
  as_of: string;
  /** max(probability_up, 1 − probability_up) */
  confidence: number;
  /** up or down */
  direction: string;
  /** the model saw no day after this one */
  model_data_to: string;
  model_version: string;
  /** why the quantum circuit was left out, if it was */
  note: string;
  /** chance the next close is higher, 0 … 1 */
  probability_up: number;
  regime: string;
  scenario: string;
  symbol: string;
  top_features: FeatureOut[];
  used_quantum: boolean;
  /** each member's probability of up */
  votes: {
    [key: string]: number;
  };
  /** each member's weight in this regime */
  weights: {
    [key: string]: number;
  };
};
export type GarchOut = {
  alpha: number;
  beta: number;
  mu: number;
  omega: number;
  sample_variance?: number | null;
};
export type AnomalyOut = {
  at: string | null;
  figures: {
    [key: string]: number;
  };
  kind: string;
  message: string;
};
export type VolatilityOut = {
  as_of: string | null;
  breaker_level: string;
  confidence: number;
  deciding_figures: {
    [key: string]: number;
  };
  estimators: {
    [key: string]: number | null;
  };
  garch: GarchOut | null;
  reason: string;
  recent_anomalies: AnomalyOut[];
  regime: string;
  symbol: string;
};
export type RegimeChangeOut = {
  at: string;
  confidence: number;
  figures: {
    [key: string]: any;
  };
  from_regime: string | null;
  reason: string;
  symbol: string;
  to_regime: string;
};
export type ChannelOut = {
  description: string;
  kind:
    | "quote"
    | "bar"
    | "clock"
    | "breaker"
    | "volatility"
    | "order"
    | "account"
    | "notification"
    | "leaderboard";
  name: string;
};
export type AccountState = {
  buying_power: string;
  cash: string;
  epoch: number;
  equity: string;
  id: string;
};
export type AccountData = {
  account: AccountState;
  type: "account";
};
export type AccountMessage = {
  channel: string;
  data: AccountData;
  kind: "account";
  sent_at: string;
  type?: "message";
};
export type BarData = {
  close: string;
  high: string;
  low: string;
  open: string;
  symbol: string;
  time: string;
  volume: string;
};
export type BarMessage = {
  channel: string;
  data: BarData;
  kind: "bar";
  sent_at: string;
  type?: "message";
};
export type LiveBreakerTransition = {
  at: string;
  breaker: string;
  condition?: string | null;
  enforced?: boolean;
  figures: {
    [key: string]: any;
  };
  from_level: string;
  kind: string;
  lesson?: string | null;
  reason: string;
  reopen_at?: string | null;
  rule: string;
  scope: string;
  scope_key: string;
  to_level: string;
};
export type BreakerTransitionData = {
  transition: LiveBreakerTransition;
  type: "breaker_transition";
};
export type BreakerMessage = {
  channel: string;
  data: BreakerTransitionData;
  kind: "breaker";
  sent_at: string;
  type?: "message";
};
export type ClockData = {
  finished: boolean;
  market_date: string | null;
  market_time: string | null;
  paused: boolean;
  position: number;
  scenario_id: string;
  seconds_per_day: number;
  type: "clock";
};
export type ClockMessage = {
  channel: string;
  data: ClockData;
  kind: "clock";
  sent_at: string;
  type?: "message";
};
export type LeaderboardMessage = {
  channel: string;
  data: LeaderboardOut;
  kind: "leaderboard";
  sent_at: string;
  type?: "message";
};
export type ApprovalData = {
  order: OrderOut;
  type: "approval_requested" | "order_approved" | "order_rejected";
};
export type AutopilotData = {
  decision: AutopilotDecisionOut;
  type: "autopilot";
};
export type BacktestState = {
  id: string;
  progress: number;
  status: string;
};
export type BacktestData = {
  backtest: BacktestState;
  type: "backtest";
};
export type NotificationMessage = {
  channel: string;
  data:
    | ({
        type: "approval_requested";
      } & ApprovalData)
    | ({
        type: "autopilot";
      } & AutopilotData)
    | ({
        type: "backtest";
      } & BacktestData)
    | ({
        type: "breaker_transition";
      } & BreakerTransitionData)
    | ({
        type: "order_approved";
      } & ApprovalData)
    | ({
        type: "order_rejected";
      } & ApprovalData);
  kind: "notification";
  sent_at: string;
  type?: "message";
};
export type OrderData = {
  order: OrderOut;
  type: "order";
};
export type OrderMessage = {
  channel: string;
  data: OrderData;
  kind: "order";
  sent_at: string;
  type?: "message";
};
export type QuoteData = {
  ask: string;
  ask_size: string | null;
  bid: string;
  bid_size: string | null;
  last: string;
  symbol: string;
  time: string;
};
export type QuoteMessage = {
  channel: string;
  data: QuoteData;
  kind: "quote";
  sent_at: string;
  type?: "message";
};
export type AnomalyData = {
  at: string | null;
  figures: {
    [key: string]: any;
  };
  kind: string;
  message: string;
  symbol: string;
  type: "anomaly";
};
export type RegimeChangeData = {
  at: string;
  confidence: number | null;
  figures: {
    [key: string]: any;
  };
  from_regime: string | null;
  reason: string;
  symbol: string;
  to_regime: string;
  type: "regime_change";
};
export type VolatilityData = {
  as_of: string | null;
  confidence: number | null;
  estimators: {
    [key: string]: any;
  };
  reason: string;
  regime: string;
  symbol: string;
  type: "volatility";
};
export type VolatilityMessage = {
  channel: string;
  data:
    | ({
        type: "anomaly";
      } & AnomalyData)
    | ({
        type: "regime_change";
      } & RegimeChangeData)
    | ({
        type: "volatility";
      } & VolatilityData);
  kind: "volatility";
  sent_at: string;
  type?: "message";
};
export type WelcomeMessage = {
  sent_at: string;
  type?: "welcome";
  user_id: string;
};
export type PongMessage = {
  sent_at: string;
  type?: "pong";
};
export type HeartbeatMessage = {
  market_time: string | null;
  sent_at: string;
  type?: "heartbeat";
};
export type SubscriptionMessage = {
  channels: string[];
  refused: string[];
  sent_at: string;
  type: "subscribed" | "unsubscribed";
};
export type ErrorMessage = {
  detail: string;
  sent_at: string;
  type?: "error";
};
export type WebSocketProtocolOut = {
  channels: ChannelOut[];
  client_messages: string[];
  examples: (
    | (
        | ({
            kind: "account";
          } & AccountMessage)
        | ({
            kind: "bar";
          } & BarMessage)
        | ({
            kind: "breaker";
          } & BreakerMessage)
        | ({
            kind: "clock";
          } & ClockMessage)
        | ({
            kind: "leaderboard";
          } & LeaderboardMessage)
        | ({
            kind: "notification";
          } & NotificationMessage)
        | ({
            kind: "order";
          } & OrderMessage)
        | ({
            kind: "quote";
          } & QuoteMessage)
        | ({
            kind: "volatility";
          } & VolatilityMessage)
      )
    | WelcomeMessage
    | PongMessage
    | HeartbeatMessage
    | SubscriptionMessage
    | ErrorMessage
  )[];
  url: string;
};
export const {
  useMyRequestsQuery,
  useLazyMyRequestsQuery,
  useListAccountsQuery,
  useLazyListAccountsQuery,
  useOpenAccountMutation,
  useGetAccountQuery,
  useLazyGetAccountQuery,
  useGetAutopilotQuery,
  useLazyGetAutopilotQuery,
  usePutAutopilotMutation,
  useGetEquityQuery,
  useLazyGetEquityQuery,
  useGetLedgerQuery,
  useLazyGetLedgerQuery,
  useResetAccountMutation,
  useGetRiskLimitsQuery,
  useLazyGetRiskLimitsQuery,
  useSetRiskLimitsMutation,
  useHaltMutation,
  useResumeMutation,
  useSetCohortMutation,
  useListFeedbackQuery,
  useLazyListFeedbackQuery,
  useGetFeedbackQuery,
  useLazyGetFeedbackQuery,
  useTriageFeedbackMutation,
  useListFlagsQuery,
  useLazyListFlagsQuery,
  useFlagChangesQuery,
  useLazyFlagChangesQuery,
  useChangeFlagMutation,
  useCreateTeacherMutation,
  useListUsersQuery,
  useLazyListUsersQuery,
  useGetUserQuery,
  useLazyGetUserQuery,
  useChangeUserMutation,
  useDisableTwoFactorMutation,
  useEnrolTwoFactorMutation,
  useNewRecoveryCodesMutation,
  useVerifyTwoFactorMutation,
  useLoginMutation,
  useLoginTwoFactorMutation,
  useLogoutMutation,
  useChangePasswordMutation,
  useRefreshMutation,
  useRegisterMutation,
  useListBacktestsQuery,
  useLazyListBacktestsQuery,
  useSubmitBacktestMutation,
  useListDatasetsQuery,
  useLazyListDatasetsQuery,
  useDeleteDatasetMutation,
  useUploadDatasetMutation,
  useListStrategiesQuery,
  useLazyListStrategiesQuery,
  useCancelBacktestMutation,
  useGetBacktestQuery,
  useLazyGetBacktestQuery,
  useGetBacktestEquityQuery,
  useLazyGetBacktestEquityQuery,
  useGetReportQuery,
  useLazyGetReportQuery,
  useDownloadReportQuery,
  useLazyDownloadReportQuery,
  useGetTradesQuery,
  useLazyGetTradesQuery,
  useListBreakersQuery,
  useLazyListBreakersQuery,
  useBreakerHistoryQuery,
  useLazyBreakerHistoryQuery,
  useListClassesQuery,
  useLazyListClassesQuery,
  useCreateClassMutation,
  useJoinClassMutation,
  useGetClassQuery,
  useLazyGetClassQuery,
  usePatchClassMutation,
  useChangeClassClockMutation,
  useSkipClassClockMutation,
  useGetLeaderboardQuery,
  useLazyGetLeaderboardQuery,
  useExportLeaderboardQuery,
  useLazyExportLeaderboardQuery,
  useImportRosterMutation,
  useGetStandingsQuery,
  useLazyGetStandingsQuery,
  useListStudentsQuery,
  useLazyListStudentsQuery,
  useGetStudentQuery,
  useLazyGetStudentQuery,
  useSendFeedbackMutation,
  useListGlossaryQuery,
  useLazyListGlossaryQuery,
  useGlossaryEntryQuery,
  useLazyGlossaryEntryQuery,
  useListAccountRequestsQuery,
  useLazyListAccountRequestsQuery,
  useDecideAccountRequestsMutation,
  useListPendingQuery,
  useLazyListPendingQuery,
  useDecideMutation,
  useApproveMutation,
  useRejectMutation,
  useCreateInvitationMutation,
  useMyLinksQuery,
  useLazyMyLinksQuery,
  useRedeemMutation,
  useListMinorsQuery,
  useLazyListMinorsQuery,
  useUnlinkMutation,
  useMinorAccountsQuery,
  useLazyMinorAccountsQuery,
  useOpenMinorAccountMutation,
  useMinorAccountQuery,
  useLazyMinorAccountQuery,
  useMinorEquityQuery,
  useLazyMinorEquityQuery,
  useMinorLedgerQuery,
  useLazyMinorLedgerQuery,
  useMinorOrdersQuery,
  useLazyMinorOrdersQuery,
  useMinorPositionsQuery,
  useLazyMinorPositionsQuery,
  useGetLimitsQuery,
  useLazyGetLimitsQuery,
  useUpdateLimitsMutation,
  useSetLimitsMutation,
  useListInstrumentsQuery,
  useLazyListInstrumentsQuery,
  useListBarsQuery,
  useLazyListBarsQuery,
  useGetQuoteQuery,
  useLazyGetQuoteQuery,
  useListLessonsQuery,
  useLazyListLessonsQuery,
  useLessonCheckQuery,
  useLazyLessonCheckQuery,
  useLessonProgressQuery,
  useLazyLessonProgressQuery,
  useLessonRequirementsQuery,
  useLazyLessonRequirementsQuery,
  useSetLessonRequirementsMutation,
  useReviewQueueQuery,
  useLazyReviewQueueQuery,
  useGetLessonQuery,
  useLazyGetLessonQuery,
  useAnswerQuizMutation,
  useMarketClockQuery,
  useLazyMarketClockQuery,
  useMeQuery,
  useLazyMeQuery,
  useMyFlagsQuery,
  useLazyMyFlagsQuery,
  useListModelsQuery,
  useLazyListModelsQuery,
  useListOrdersQuery,
  useLazyListOrdersQuery,
  usePlaceOrderMutation,
  usePreviewOrderMutation,
  useCancelOrderMutation,
  useGetOrderQuery,
  useLazyGetOrderQuery,
  useListQuotesQuery,
  useLazyListQuotesQuery,
  useRiskParametersQuery,
  useLazyRiskParametersQuery,
  useListScenariosQuery,
  useLazyListScenariosQuery,
  useCreateScenarioMutation,
  useGetScenarioQuery,
  useLazyGetScenarioQuery,
  useChangeScenarioClockMutation,
  useSkipScenarioClockMutation,
  useScenarioEventsQuery,
  useLazyScenarioEventsQuery,
  useListSignalsQuery,
  useLazyListSignalsQuery,
  useListClassFeedbackQuery,
  useLazyListClassFeedbackQuery,
  useGetClassFeedbackQuery,
  useLazyGetClassFeedbackQuery,
  useTriageClassFeedbackMutation,
  useListVolatilityQuery,
  useLazyListVolatilityQuery,
  useGetVolatilityQuery,
  useLazyGetVolatilityQuery,
  useRegimeHistoryQuery,
  useLazyRegimeHistoryQuery,
  useWebsocketMessagesQuery,
  useLazyWebsocketMessagesQuery,
  useHealthzQuery,
  useLazyHealthzQuery,
  useReadyzQuery,
  useLazyReadyzQuery,
} = injectedRtkApi;
