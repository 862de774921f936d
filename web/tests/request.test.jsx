import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithClient } from './helpers.jsx';
import { RequestPage } from '../src/screens/RequestPage.jsx';
import { layoutWaterfall, TracePage } from '../src/screens/TracePage.jsx';
import { ProposalCard, applyEdits } from '../src/components/ProposalCard.jsx';
import { KpiCard, formatChange, formatValue } from '../src/components/KpiCard.jsx';
import { VegaChart } from '../src/components/VegaChart.jsx';

vi.mock('vega-embed', () => ({
    default: vi.fn(async (el, spec) => {
        const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
        svg.setAttribute('data-mark', spec.mark);
        el.appendChild(svg);
        return { finalize() {} };
    }),
}));

const proposal = (over = {}) => ({
    id: 'P1', kind: 'CREATE_DISCOUNT_CODE', status: 'PENDING', title: 'Create a 15% discount', description: 'Win back last week’s shoppers',
    parameters: { code: 'COMEBACK15', percentage: 15 }, requiredScopes: ['write_discounts'], missingScopes: [],
    createdAt: '2026-01-01T00:00:00Z', decidedAt: null, preview: [{ target: 'Discount COMEBACK15', field: 'percentage', before: null, after: '15%' }],
    outcome: null, ...over,
});

const baseRequest = (over = {}) => ({
    id: 'R1', prompt: 'Why did sales drop last week?', status: 'RUNNING', progress: 0.4, intent: null, error: null,
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:05Z', completedAt: null,
    store: { id: 'S1', shopDomain: 'demo.myshopify.test', name: 'Demo', currency: 'USD' },
    tasks: [
        { id: 'T1', agentClass: 'DEPARTMENT', department: 'sales', name: 'Compare weeks', status: 'SUCCEEDED', attempts: 1, errorCount: 0, startedAt: null, finishedAt: null, error: null },
        { id: 'T2', agentClass: 'TOOL', department: 'marketing', name: 'Discount usage', status: 'RUNNING', attempts: 2, errorCount: 1, startedAt: null, finishedAt: null, error: null },
    ],
    result: null, proposals: [], ...over,
});

const completed = () => baseRequest({
    status: 'COMPLETED', progress: 1,
    result: {
        summary: 'Sales fell 18% because the spring discount ended.',
        dataWindow: { from: '2026-01-05T00:00:00Z', to: '2026-01-12T00:00:00Z' },
        kpis: [{ key: 'revenue', label: 'Revenue', value: 8200, unit: 'USD', previousValue: 10000, changePct: -18 }],
        visualizations: [{ id: 'V1', kind: 'LINE', title: 'Daily revenue', spec: { mark: 'line', data: { values: [] } } }],
        recommendations: [{ id: 'REC1', title: 'Bring the discount back', rationale: 'It drove 30% of orders', expectedImpact: '+10% revenue', proposals: [{ id: 'P1' }] }],
    },
    proposals: [proposal()],
});

describe('RequestPage', () => {
    it('shows live progress: the plan’s tasks, their status and a progress bar', async () => {
        renderWithClient(<RequestPage id="R1" />, { handlers: { AnalysisRequest: () => ({ data: { analysisRequest: baseRequest() } }) } });
        expect(await screen.findByText('Analysing your store')).toBeTruthy();
        expect(screen.getAllByText('40%').length).toBeGreaterThan(0);
        const tasks = screen.getByRole('list', { name: 'Tasks' });
        expect(within(tasks).getByText('sales · Compare weeks')).toBeTruthy();
        expect(within(tasks).getByText('running (try 2)')).toBeTruthy();
        expect(Number(document.querySelector('progress').getAttribute('value'))).toBe(40);
    });

    it('shows the finding first, KPI cards, the chart and the proposals of a completed analysis', async () => {
        renderWithClient(<RequestPage id="R1" />, { handlers: { AnalysisRequest: () => ({ data: { analysisRequest: completed() } }) } });
        const finding = await screen.findByText(/Sales fell 18%/);
        const kpi = screen.getByText('Revenue');
        expect(finding.compareDocumentPosition(kpi) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
        expect(screen.getByText('−18.0%')).toBeTruthy();
        await waitFor(() => expect(document.querySelector('svg[data-mark="line"]')).not.toBeNull());
        expect(screen.getByText('Bring the discount back')).toBeTruthy();
        expect(screen.getByText('Create a 15% discount')).toBeTruthy();
    });

    it('has error and not-found states', async () => {
        renderWithClient(<RequestPage id="R1" />, { handlers: { AnalysisRequest: () => ({ errors: [{ message: 'boom', extensions: { code: 'INTERNAL' } }] }) } });
        expect(await screen.findByText('Could not load this analysis')).toBeTruthy();
    });

    it('says when the analysis does not exist', async () => {
        renderWithClient(<RequestPage id="nope" />, { handlers: { AnalysisRequest: () => ({ data: { analysisRequest: null } }) } });
        expect(await screen.findByText('Not found')).toBeTruthy();
    });
});

describe('ProposalCard', () => {
    it('shows the before/after preview and approves as proposed', async () => {
        const { calls } = renderWithClient(<ProposalCard proposal={proposal()} />, {
            handlers: { ApproveActionProposal: () => ({ data: { approveActionProposal: proposal({ status: 'APPROVED' }) } }) },
        });
        expect(screen.getByText('Discount COMEBACK15 · percentage')).toBeTruthy();
        expect(screen.getByText('15%')).toBeTruthy();
        fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
        await waitFor(() => expect(calls).toHaveLength(1));
        expect(calls[0].variables).toEqual({ id: 'P1', parameters: null });
    });

    it('edits then approves with typed parameters', async () => {
        const { calls } = renderWithClient(<ProposalCard proposal={proposal()} />, {
            handlers: { ApproveActionProposal: () => ({ data: { approveActionProposal: proposal({ status: 'APPROVED' }) } }) },
        });
        fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
        fireEvent.change(screen.getByLabelText('percentage'), { target: { value: '10' } });
        fireEvent.click(screen.getByRole('button', { name: 'Save and approve' }));
        await waitFor(() => expect(calls).toHaveLength(1));
        expect(calls[0].variables.parameters).toEqual({ code: 'COMEBACK15', percentage: 10 });
    });

    it('rejects with a reason', async () => {
        const { calls } = renderWithClient(<ProposalCard proposal={proposal()} />, {
            handlers: { RejectActionProposal: () => ({ data: { rejectActionProposal: proposal({ status: 'REJECTED' }) } }) },
        });
        fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
        fireEvent.change(await screen.findByLabelText(/Reason/), { target: { value: 'Margins are too thin' } });
        const dialog = screen.getByRole('dialog');
        fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
        await waitFor(() => expect(calls).toHaveLength(1));
        expect(calls[0].variables).toEqual({ id: 'P1', reason: 'Margins are too thin' });
    });

    it('asks for a revised proposal with the reason as feedback', async () => {
        const { calls } = renderWithClient(<ProposalCard proposal={proposal()} />, {
            handlers: { RejectActionProposal: () => ({ data: { rejectActionProposal: proposal({ status: 'REJECTED' }) } }) },
        });
        fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
        const dialog = await screen.findByRole('dialog');
        const box = within(dialog).getByLabelText('Ask Alatar for a revised proposal');
        fireEvent.click(box);
        expect(box.checked).toBe(true);
        // Without feedback there is nothing to revise by: the dialog waits for a reason.
        const button = within(dialog).getByRole('button', { name: 'Reject' });
        expect(button.disabled || button.getAttribute('aria-disabled') === 'true').toBe(true);
        fireEvent.click(button);
        expect(calls).toHaveLength(0);
        fireEvent.change(within(dialog).getByLabelText(/Reason/), { target: { value: 'too generous, go lower' } });
        fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
        await waitFor(() => expect(calls).toHaveLength(1));
        expect(calls[0].variables).toEqual({ id: 'P1', reason: 'too generous, go lower', revise: true });
    });

    it('links a revision and the proposal it revises', () => {
        const { unmount } = renderWithClient(<ProposalCard proposal={proposal({ revisionOf: 'P0' })} />);
        expect(screen.getByText(/A revised proposal, made from your feedback/)).toBeTruthy();
        unmount();
        renderWithClient(<ProposalCard proposal={proposal({ status: 'REJECTED', revisedBy: { id: 'P2', status: 'PENDING', title: 'Revised: 15% off' } })} />);
        expect(screen.getByText('Revised as “Revised: 15% off” (pending).')).toBeTruthy();
    });

    it('shows the outcome and offers undo after success', async () => {
        const done = proposal({ status: 'SUCCEEDED', outcome: { succeeded: true, message: 'Discount COMEBACK15 created', shopifyUserErrors: [], executedAt: '2026-01-01T00:00:00Z' } });
        const { calls } = renderWithClient(<ProposalCard proposal={done} />, {
            handlers: { UndoActionProposal: () => ({ data: { undoActionProposal: done } }) },
        });
        expect(screen.getByText('Discount COMEBACK15 created')).toBeTruthy();
        expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
        fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
        await waitFor(() => expect(calls[0]?.operationName).toBe('UndoActionProposal'));
    });

    it('says until when it awaits a decision, and shows the reason of a rejection', () => {
        const { unmount } = renderWithClient(<ProposalCard proposal={proposal({ expiresAt: '2026-01-08T12:00:00Z' })} />);
        expect(screen.getByText(/Awaits your decision until .*2026/)).toBeTruthy();
        unmount();
        renderWithClient(<ProposalCard proposal={proposal({ status: 'REJECTED', decisionReason: 'Not during the sale' })} />);
        expect(screen.getByText('Your reason: Not during the sale')).toBeTruthy();
        expect(screen.queryByText(/Awaits your decision/)).toBeNull();
    });

    it('keeps parameter types and refuses a non-number for a number', () => {
        expect(applyEdits({ a: 1, b: 'x', c: true }, { a: '2.5', b: 'y', c: 'false' })).toEqual({ a: 2.5, b: 'y', c: false });
        expect(() => applyEdits({ a: 1 }, { a: 'ten' })).toThrow(/number/);
    });
});

describe('KPI formatting', () => {
    it('formats values by unit and changes with a sign', () => {
        expect(formatValue(12.345, '%')).toBe('12.3%');
        expect(formatValue(null, 'USD')).toBe('—');
        expect(formatValue(1200, 'USD')).toMatch(/1,200/);
        expect(formatChange(-18)).toBe('−18.0%');
        expect(formatChange(4.25)).toBe('+4.3%');
        expect(formatChange(null)).toBeNull();
    });
});

describe('KpiCard', () => {
    it('is focusable and its tooltip shows the formula and the window', async () => {
        const kpi = { key: 'revenue', label: 'Revenue', value: 8200, unit: 'USD', previousValue: 10000, changePct: -18 };
        renderWithClient(<KpiCard kpi={kpi} window={{ from: '2026-01-05T00:00:00Z', to: '2026-01-12T00:00:00Z' }} />);
        const activator = document.querySelector('[data-polaris-tooltip-activator="true"]');
        expect(activator.tabIndex).toBe(0);
        fireEvent.focus(activator);
        expect(await screen.findByText(/Change = \(current − previous\)/)).toBeTruthy();
        // The window ends exclusively at the next midnight: Jan 5 to Jan 11.
        expect(screen.getByText(/Over Jan 5, 2026 – Jan 11, 2026/)).toBeTruthy();
    });

    it('explains its own formula and both windows from the provenance', async () => {
        const kpi = {
            key: 'net_sales', label: 'Net sales', value: 3251.37, unit: 'USD', previousValue: 8811.5, changePct: -63.1,
            provenance: {
                formulaId: 'net_sales.v1',
                // A shop east of UTC (midnight at 23:00 UTC) and one west of it (05:00 UTC).
                window: { from: '2026-11-15T23:00:00Z', to: '2026-11-22T23:00:00Z' },
                previousWindow: { from: '2026-11-09T05:00:00Z', to: '2026-11-16T05:00:00Z' },
            },
        };
        renderWithClient(<KpiCard kpi={kpi} />);
        fireEvent.focus(document.querySelector('[data-polaris-tooltip-activator="true"]'));
        expect(await screen.findByText(/Net sales = gross sales − discounts − returns/)).toBeTruthy();
        expect(screen.getByText(/Over Nov 16, 2026 – Nov 22, 2026/)).toBeTruthy();
        expect(screen.getByText(/Compared with Nov 9, 2026 – Nov 15, 2026/)).toBeTruthy();
        expect(screen.getByText(/Formula net_sales\.v1/)).toBeTruthy();
    });
});

describe('VegaChart', () => {
    it('shows an error state when the spec cannot be drawn', async () => {
        const embed = () => Promise.reject(new Error('bad spec'));
        renderWithClient(<VegaChart spec={{ mark: 'bar' }} title="T" embed={embed} />);
        expect(await screen.findByText(/bad spec/)).toBeTruthy();
    });
});

describe('Trace waterfall', () => {
    const spans = [
        { id: 'a', parentId: null, name: 'orchestrator', kind: 'agent', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1000, attributes: {}, error: null },
        { id: 'c', parentId: 'a', name: 'llm call', kind: 'llm', startedAt: '2026-01-01T00:00:00.500Z', durationMs: 500, attributes: {}, error: null },
        { id: 'b', parentId: 'a', name: 'orders query', kind: 'shopify', startedAt: '2026-01-01T00:00:00.100Z', durationMs: 200, attributes: {}, error: 'throttled' },
    ];

    it('nests children under parents in start order with positions on one time axis', () => {
        const { rows, totalMs } = layoutWaterfall(spans);
        expect(totalMs).toBe(1000);
        expect(rows.map((r) => [r.span.id, r.depth])).toEqual([['a', 0], ['b', 1], ['c', 1]]);
        expect(rows[1].leftPct).toBeCloseTo(10);
        expect(rows[1].widthPct).toBeCloseTo(20);
        expect(rows[2].leftPct).toBeCloseTo(50);
    });

    it('renders spans and an empty state', async () => {
        renderWithClient(<TracePage id="R1" />, {
            handlers: { Trace: () => ({ data: { analysisRequest: { id: 'R1', prompt: 'Q', status: 'COMPLETED', trace: spans } } }) },
        });
        const list = await screen.findByRole('list', { name: 'Spans' });
        expect(within(list).getAllByRole('listitem')).toHaveLength(3);
        expect(within(list).getByLabelText(/orders query, shopify, 200 ms, failed/)).toBeTruthy();
    });
});

describe('RequestPage live updates', () => {
    // Records the graphql-transport-ws messages the page sends.
    function fakeSocket() {
        const sent = [];
        class FakeWebSocket {
            constructor() {
                this.readyState = 0;
                setTimeout(() => { this.readyState = 1; this.onopen?.({}); }, 0);
            }
            send(data) { sent.push(JSON.parse(data)); }
            close() {}
        }
        Object.assign(FakeWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
        return { FakeWebSocket, sent };
    }

    it('listens after the analysis is done while an approved action is carried out', async () => {
        const { FakeWebSocket, sent } = fakeSocket();
        const running = () => ({ ...completed(), proposals: [proposal({ status: 'EXECUTING' })] });
        renderWithClient(<RequestPage id="R1" />, { wsImpl: FakeWebSocket, handlers: { AnalysisRequest: () => ({ data: { analysisRequest: running() } }) } });
        await waitFor(() => expect(sent.some((m) => m.type === 'connection_init')).toBe(true));
    });

    it('does not listen to a finished analysis whose actions have settled', async () => {
        const { FakeWebSocket, sent } = fakeSocket();
        const settled = () => ({ ...completed(), proposals: [proposal({ status: 'SUCCEEDED' })] });
        renderWithClient(<RequestPage id="R1" />, { wsImpl: FakeWebSocket, handlers: { AnalysisRequest: () => ({ data: { analysisRequest: settled() } }) } });
        await screen.findByText(/Sales fell 18%/);
        await new Promise((r) => setTimeout(r, 50));
        expect(sent).toEqual([]);
    });
});

describe('RequestPage after a decision', () => {
    it('shows the proposal’s new status once approved (the cached analysis is refreshed)', async () => {
        let approved = false;
        const after = () => {
            const r = completed();
            r.proposals = [proposal({ status: approved ? 'SUCCEEDED' : 'PENDING', outcome: approved ? { succeeded: true, message: 'Discount COMEBACK15 created', shopifyUserErrors: [], executedAt: '2026-01-01T00:01:00Z' } : null })];
            return r;
        };
        renderWithClient(<RequestPage id="R1" />, {
            handlers: {
                AnalysisRequest: () => ({ data: { analysisRequest: after() } }),
                ApproveActionProposal: () => {
                    approved = true;
                    return { data: { approveActionProposal: { __typename: 'ActionProposal', ...proposal({ status: 'APPROVED' }) } } };
                },
            },
        });
        fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
        expect(await screen.findByText('Discount COMEBACK15 created')).toBeTruthy();
        expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    });
});
