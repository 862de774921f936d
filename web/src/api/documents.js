// Every operation the dashboard sends, named after the API contract (shared/design/api.graphql).
import { gql } from '@urql/core';

const kUserFields = `id email createdAt preferences { llmModel timezone language }
  stores { id shopDomain name currency status linkedAt lastSyncedAt scopes }`;
const kAuthFields = `token expiresAt user { ${kUserFields} }`;

export const MeQuery = gql`query Me { me { ${kUserFields} } }`;
export const RegisterMutation = gql`mutation Register($input: RegisterInput!) { register(input: $input) { ${kAuthFields} } }`;
export const LoginMutation = gql`mutation Login($input: LoginInput!) { login(input: $input) { ${kAuthFields} } }`;
export const LogoutMutation = gql`mutation Logout { logout }`;
export const LoginWithShopifyMutation = gql`mutation LoginWithShopify($input: CompleteShopifyOAuthInput!) {
  loginWithShopify(input: $input) { ${kAuthFields} } }`;
export const StartShopifyOAuthMutation = gql`mutation StartShopifyOAuth($shop: String!) {
  startShopifyOAuth(shop: $shop) { authorizationUrl state } }`;
export const CompleteShopifyOAuthMutation = gql`mutation CompleteShopifyOAuth($input: CompleteShopifyOAuthInput!) {
  completeShopifyOAuth(input: $input) { id shopDomain name status scopes linkedAt } }`;

export const SettingsQuery = gql`query Settings { me { id preferences { llmModel timezone language } }
  availableModels { id name free } }`;
export const UpdatePreferencesMutation = gql`mutation UpdatePreferences($input: UpdatePreferencesInput!) {
  updatePreferences(input: $input) { llmModel timezone language } }`;

const kProposalFields = `id kind status title description parameters requiredScopes missingScopes createdAt decidedAt
  expiresAt decisionReason revisionOf revisedBy { id status title }
  preview { target field before after }
  outcome { succeeded message shopifyUserErrors executedAt }`;

const kRequestFields = `id prompt status progress intent error createdAt updatedAt completedAt
  store { id shopDomain name currency }
  tasks { id agentClass department name status attempts errorCount startedAt finishedAt error }
  result {
    summary
    dataWindow { from to }
    kpis { key label value unit previousValue changePct
      provenance { formulaId window { from to } previousWindow { from to } } }
    visualizations { id kind title spec }
    recommendations { id title rationale expectedImpact proposals { id } }
  }
  proposals { ${kProposalFields} }`;

export const SubmitAnalysisMutation = gql`mutation SubmitAnalysisRequest($prompt: String!, $storeId: ID) {
  submitAnalysisRequest(prompt: $prompt, storeId: $storeId) { id status prompt } }`;
export const CancelAnalysisMutation = gql`mutation CancelAnalysisRequest($id: ID!) {
  cancelAnalysisRequest(id: $id) { id status } }`;
export const AnalysisRequestQuery = gql`query AnalysisRequest($id: ID!) { analysisRequest(id: $id) { ${kRequestFields} } }`;
export const AnalysisUpdatesSubscription = gql`subscription AnalysisRequestUpdates($requestId: ID!) {
  analysisRequestUpdates(requestId: $requestId) { event message request { ${kRequestFields} } } }`;
export const TraceQuery = gql`query Trace($id: ID!) { analysisRequest(id: $id) { id prompt status
  trace { id parentId name kind startedAt durationMs attributes error } } }`;

export const ListAnalysisRequestsQuery = gql`query ListAnalysisRequests($first: Int, $after: String, $status: AnalysisStatus) {
  listAnalysisRequests(first: $first, after: $after, status: $status) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id prompt status progress createdAt completedAt store { shopDomain } } }
  } }`;

export const ApproveProposalMutation = gql`mutation ApproveActionProposal($id: ID!, $parameters: JSON) {
  approveActionProposal(id: $id, parameters: $parameters) { ${kProposalFields} } }`;
export const RejectProposalMutation = gql`mutation RejectActionProposal($id: ID!, $reason: String, $revise: Boolean) {
  rejectActionProposal(id: $id, reason: $reason, revise: $revise) { ${kProposalFields} } }`;
export const UndoProposalMutation = gql`mutation UndoActionProposal($id: ID!) {
  undoActionProposal(id: $id) { ${kProposalFields} } }`;
