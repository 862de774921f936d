// One analysis request: live progress while it runs (updates from the subscription), then the result:
// the finding first, KPI cards, charts, recommendations and their action proposals.
import { useEffect } from 'react';
import { Badge, Banner, BlockStack, Box, Card, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from '@shopify/polaris';
import { useMutation, useQuery, useSubscription } from 'urql';
import { AnalysisRequestQuery, AnalysisUpdatesSubscription, CancelAnalysisMutation } from '../api/documents.js';
import { ErrorBanner, LoadingCard } from '../components/States.jsx';
import { KpiCard } from '../components/KpiCard.jsx';
import { ProposalCard } from '../components/ProposalCard.jsx';
import { VegaChart } from '../components/VegaChart.jsx';

const kPollMs = 2000;
const kDone = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
const kInFlight = new Set(['APPROVED', 'EXECUTING', 'UNDOING']);
const kTaskTone = { PENDING: undefined, RUNNING: 'info', SUCCEEDED: 'success', FAILED: 'critical', RETRYING: 'warning', CANCELLED: undefined };
const kStatusText = {
    QUEUED: 'Waiting for a worker',
    PLANNING: 'Planning the analysis',
    RUNNING: 'Analysing your store',
    REVIEWING: 'Checking the findings',
    COMPLETED: 'Done',
    FAILED: 'Failed',
    CANCELLED: 'Cancelled',
};

export function RequestPage({ id }) {
    const [query, refetch] = useQuery({ query: AnalysisRequestQuery, variables: { id } });
    const initial = query.data?.analysisRequest;
    // The server keeps pushing while the analysis runs and, after it, while an approved action is carried out.
    const initialSettling = initial?.proposals?.some((p) => kInFlight.has(p.status));
    const [sub] = useSubscription(
        {
            query: AnalysisUpdatesSubscription,
            variables: { requestId: id },
            pause: !initial || (kDone.has(initial.status) && !initialSettling),
        },
        (_prev, data) => data,
    );
    const [cancel, runCancel] = useMutation(CancelAnalysisMutation);
    // The newest of the query and the subscription's last update.
    const live = sub.data?.analysisRequestUpdates?.request;
    const request = live && (!initial || live.updatedAt > initial.updatedAt) ? live : initial;
    // The last update closes the stream; read the finished request once so later changes (proposals) build on it.
    const liveDone = live && kDone.has(live.status);
    useEffect(() => {
        if (liveDone) refetch({ requestPolicy: 'network-only' });
    }, [liveDone, refetch]);
    // A slow fallback to the pushed updates while proposals are being carried out.
    const settling = request?.proposals?.some((p) => kInFlight.has(p.status));
    useEffect(() => {
        if (!settling) return undefined;
        const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), kPollMs);
        return () => clearInterval(timer);
    }, [settling, refetch]);

    if (query.fetching && !query.data) return <Page title="Analysis"><LoadingCard label="Loading the analysis" /></Page>;
    if (query.error)
        return (
            <Page title="Analysis" backAction={{ content: 'History', url: '/history' }}>
                <ErrorBanner error={query.error} title="Could not load this analysis" onRetry={() => refetch({ requestPolicy: 'network-only' })} />
            </Page>
        );
    if (!request)
        return (
            <Page title="Analysis" backAction={{ content: 'History', url: '/history' }}>
                <Banner tone="warning" title="Not found"><p>This analysis does not exist or is not yours.</p></Banner>
            </Page>
        );

    const done = kDone.has(request.status);
    return (
        <Page
            title={request.prompt}
            titleMetadata={<Badge tone={request.status === 'COMPLETED' ? 'success' : request.status === 'FAILED' ? 'critical' : 'info'}>{request.status.toLowerCase()}</Badge>}
            backAction={{ content: 'History', url: '/history' }}
            secondaryActions={[
                { content: 'Trace', url: `/requests/${encodeURIComponent(id)}/trace` },
                ...(done ? [] : [{ content: 'Cancel', destructive: true, loading: cancel.fetching, onAction: () => runCancel({ id }) }]),
            ]}
        >
            <Layout>
                {sub.error && !done && (
                    <Layout.Section>
                        <Banner tone="warning" title="Live updates paused">
                            <p>Progress will refresh when you reload. </p>
                        </Banner>
                    </Layout.Section>
                )}
                <Layout.Section>
                    <ErrorBanner error={cancel.error} title="Could not cancel" />
                    {request.status === 'COMPLETED' && request.result ? (
                        <ResultView request={request} onProposalChanged={() => refetch({ requestPolicy: 'network-only' })} />
                    ) : (
                        <ProgressView request={request} message={sub.data?.analysisRequestUpdates?.message} />
                    )}
                </Layout.Section>
            </Layout>
        </Page>
    );
}

export function ProgressView({ request, message }) {
    const pct = Math.round(Math.min(1, Math.max(0, request.progress ?? 0)) * 100);
    return (
        <BlockStack gap="400">
            <Card>
                <BlockStack gap="300">
                    <InlineStack align="space-between">
                        <Text as="h2" variant="headingMd">{kStatusText[request.status] ?? request.status}</Text>
                        <Text as="span" tone="subdued">{pct}%</Text>
                    </InlineStack>
                    <ProgressBar progress={pct} tone={request.status === 'FAILED' ? 'critical' : 'primary'} ariaLabelledBy={undefined} />
                    <div role="status" aria-live="polite">{message && <Text as="p" tone="subdued">{message}</Text>}</div>
                    {request.error && <Banner tone="critical" title="The analysis failed"><p>{request.error}</p></Banner>}
                </BlockStack>
            </Card>
            <Card>
                <BlockStack gap="200">
                    <Text as="h2" variant="headingSm">Plan</Text>
                    {request.tasks.length === 0 ? (
                        <Text as="p" tone="subdued">The plan appears here once Alatar has made it.</Text>
                    ) : (
                        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Tasks">
                            {request.tasks.map((t) => (
                                <li key={t.id} style={{ padding: '0.4rem 0' }}>
                                    <InlineStack align="space-between" gap="200" wrap={false} blockAlign="center">
                                        <Text as="span">{t.department ? `${t.department} · ` : ''}{t.name}</Text>
                                        <Badge tone={kTaskTone[t.status]}>{t.status.toLowerCase()}{t.attempts > 1 ? ` (try ${t.attempts})` : ''}</Badge>
                                    </InlineStack>
                                </li>
                            ))}
                        </ul>
                    )}
                </BlockStack>
            </Card>
        </BlockStack>
    );
}

export function ResultView({ request, onProposalChanged }) {
    const r = request.result;
    const byId = new Map(request.proposals.map((p) => [p.id, p]));
    const shown = new Set();
    return (
        <BlockStack gap="400">
            <Card>
                <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">Finding</Text>
                    <Text as="p" variant="bodyLg">{r.summary}</Text>
                </BlockStack>
            </Card>
            {r.kpis.length > 0 && (
                <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
                    {r.kpis.map((k) => <KpiCard key={k.key} kpi={k} window={r.dataWindow} />)}
                </InlineGrid>
            )}
            {r.visualizations.map((v) => (
                <Card key={v.id}>
                    <BlockStack gap="200">
                        <Text as="h2" variant="headingSm">{v.title}</Text>
                        <VegaChart spec={v.spec} title={v.title} />
                    </BlockStack>
                </Card>
            ))}
            {r.recommendations.length > 0 && (
                <Box paddingInlineStart={{ xs: '400', sm: '0' }}>
                    <Text as="h2" variant="headingLg">Recommendations</Text>
                </Box>
            )}
            {r.recommendations.map((rec) => (
                <Card key={rec.id}>
                    <BlockStack gap="300">
                        <Text as="h3" variant="headingMd">{rec.title}</Text>
                        <Text as="p">{rec.rationale}</Text>
                        {rec.expectedImpact && <Text as="p" tone="subdued">Expected impact: {rec.expectedImpact}</Text>}
                        {rec.proposals.map(({ id }) => {
                            const p = byId.get(id);
                            if (!p) return null;
                            shown.add(id);
                            return <div key={id} data-proposal-kind={p.kind} data-proposal-id={p.id}><ProposalCard proposal={p} onChanged={onProposalChanged} /></div>;
                        })}
                    </BlockStack>
                </Card>
            ))}
            {request.proposals.filter((p) => !shown.has(p.id)).map((p) => (
                <div key={p.id} data-proposal-kind={p.kind} data-proposal-id={p.id}><ProposalCard proposal={p} onChanged={onProposalChanged} /></div>
            ))}
            {r.recommendations.length === 0 && request.proposals.length === 0 && (
                <Text as="p" tone="subdued">No actions to propose for this question.</Text>
            )}
        </BlockStack>
    );
}
