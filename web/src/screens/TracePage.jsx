// The trace of one analysis: its spans as a waterfall (offset and width from start time and duration).
import { Badge, BlockStack, Card, InlineStack, Page, Text } from '@shopify/polaris';
import { useQuery } from 'urql';
import { TraceQuery } from '../api/documents.js';
import { EmptyCard, ErrorBanner, LoadingCard } from '../components/States.jsx';

// Orders spans depth-first under their parents and computes each one's position on the shared time axis.
export function layoutWaterfall(spans) {
    if (!spans.length) return { rows: [], totalMs: 0 };
    const start = Math.min(...spans.map((s) => Date.parse(s.startedAt)));
    const end = Math.max(...spans.map((s) => Date.parse(s.startedAt) + s.durationMs));
    const totalMs = Math.max(1, end - start);
    const ids = new Set(spans.map((s) => s.id));
    const children = new Map();
    for (const s of spans) {
        const parent = s.parentId && ids.has(s.parentId) ? s.parentId : null;
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(s);
    }
    for (const list of children.values()) list.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const rows = [];
    const visit = (parent, depth) => {
        for (const s of children.get(parent) ?? []) {
            const offset = Date.parse(s.startedAt) - start;
            rows.push({ span: s, depth, leftPct: (offset / totalMs) * 100, widthPct: (s.durationMs / totalMs) * 100 });
            visit(s.id, depth + 1);
        }
    };
    visit(null, 0);
    return { rows, totalMs };
}

function formatMs(ms) {
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function TracePage({ id }) {
    const [{ data, fetching, error }, refetch] = useQuery({ query: TraceQuery, variables: { id } });
    const request = data?.analysisRequest;
    const back = { content: 'Analysis', url: `/requests/${encodeURIComponent(id)}` };
    let body;
    if (fetching && !data) body = <LoadingCard label="Loading the trace" />;
    else if (error) body = <ErrorBanner error={error} title="Could not load the trace" onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
    else if (!request || request.trace.length === 0) body = <EmptyCard heading="No spans recorded yet"><p>Spans appear as the analysis runs.</p></EmptyCard>;
    else {
        const { rows, totalMs } = layoutWaterfall(request.trace);
        body = (
            <Card>
                <BlockStack gap="200">
                    <Text as="p" tone="subdued">{rows.length} spans over {formatMs(totalMs)}</Text>
                    <ol style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label="Spans">
                        {rows.map(({ span, depth, leftPct, widthPct }) => (
                            <li key={span.id} className="alatar-waterfall-row" style={{ padding: '0.25rem 0' }} tabIndex={0}
                                aria-label={`${span.name}, ${span.kind}, ${formatMs(span.durationMs)}${span.error ? ', failed' : ''}`}>
                                <div style={{ paddingLeft: `${depth * 0.75}rem` }}>
                                    <InlineStack gap="100" blockAlign="center" wrap={false}>
                                        <Text as="span" truncate>{span.name}</Text>
                                        <Badge size="small">{span.kind}</Badge>
                                    </InlineStack>
                                </div>
                                <div className="alatar-waterfall-track" title={`${formatMs(span.durationMs)}${span.error ? ` — ${span.error}` : ''}`}>
                                    <div className="alatar-waterfall-bar" data-kind={span.kind} data-error={Boolean(span.error)}
                                        style={{ left: `${leftPct}%`, width: `${Math.max(widthPct, 0.5)}%` }} />
                                </div>
                            </li>
                        ))}
                    </ol>
                </BlockStack>
            </Card>
        );
    }
    return <Page title={request ? `Trace: ${request.prompt}` : 'Trace'} backAction={back}>{body}</Page>;
}
