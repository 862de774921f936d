// History: past analysis requests, paginated with cursors, filtered by status.
import { useState } from 'react';
import { Badge, BlockStack, Card, InlineStack, Page, Pagination, ResourceItem, ResourceList, Select, Text } from '@shopify/polaris';
import { useQuery } from 'urql';
import { ListAnalysisRequestsQuery } from '../api/documents.js';
import { useRouter } from '../router.jsx';
import { EmptyCard, ErrorBanner, LoadingCard } from '../components/States.jsx';

export const kPageSize = 10;
const kStatuses = ['QUEUED', 'PLANNING', 'RUNNING', 'REVIEWING', 'COMPLETED', 'FAILED', 'CANCELLED'];

export function HistoryPage() {
    const router = useRouter();
    const [status, setStatus] = useState('');
    // Cursors of the pages before the current one, so "Previous" can go back without a backward cursor.
    const [cursors, setCursors] = useState([null]);
    const after = cursors[cursors.length - 1];
    const [{ data, fetching, error }, refetch] = useQuery({
        query: ListAnalysisRequestsQuery,
        variables: { first: kPageSize, after, status: status || null },
    });
    const conn = data?.listAnalysisRequests;

    const filter = (
        <Card>
        <Select
            label="Status"
            labelInline
            options={[{ label: 'All', value: '' }, ...kStatuses.map((s) => ({ label: s.toLowerCase(), value: s }))]}
            value={status}
            onChange={(v) => { setStatus(v); setCursors([null]); }}
        />
        </Card>
    );

    let body;
    if (fetching && !data) body = <LoadingCard label="Loading your questions" />;
    else if (error) body = <ErrorBanner error={error} title="Could not load the history" onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
    else if (!conn || conn.edges.length === 0)
        body = (
            <EmptyCard heading={status ? 'Nothing with this status' : 'No questions yet'} action={{ content: 'Ask a question', url: '/' }}>
                <p>Your questions and their answers are kept here.</p>
            </EmptyCard>
        );
    else
        body = (
            <Card padding="0">
                <ResourceList
                    resourceName={{ singular: 'question', plural: 'questions' }}
                    items={conn.edges.map((e) => e.node)}
                    renderItem={(r) => (
                        <ResourceItem id={r.id} url={`/requests/${encodeURIComponent(r.id)}`} accessibilityLabel={`Open ${r.prompt}`}>
                            <BlockStack gap="100">
                                <InlineStack align="space-between" gap="200" wrap>
                                    <Text as="h3" fontWeight="semibold">{r.prompt}</Text>
                                    <Badge tone={r.status === 'COMPLETED' ? 'success' : r.status === 'FAILED' ? 'critical' : undefined}>{r.status.toLowerCase()}</Badge>
                                </InlineStack>
                                <Text as="p" tone="subdued">
                                    {new Date(r.createdAt).toLocaleString()}{r.store ? ` · ${r.store.shopDomain}` : ''}
                                </Text>
                            </BlockStack>
                        </ResourceItem>
                    )}
                />
                <div style={{ padding: '0.75rem', display: 'flex', justifyContent: 'center' }}>
                    <Pagination
                        hasPrevious={cursors.length > 1}
                        onPrevious={() => setCursors((c) => c.slice(0, -1))}
                        hasNext={conn.pageInfo.hasNextPage}
                        onNext={() => setCursors((c) => [...c, conn.pageInfo.endCursor])}
                        label={`${conn.totalCount} in all`}
                    />
                </div>
            </Card>
        );

    return (
        <Page title="History" primaryAction={{ content: 'Ask', onAction: () => router.navigate('/') }}>
            <BlockStack gap="400">
                {filter}
                {body}
            </BlockStack>
        </Page>
    );
}
