// One action proposal: the before/after preview, then approve, edit then approve, or reject with a reason (and,
// optionally, ask Alatar for a revised proposal shaped by that reason); afterwards its outcome, and undo when the
// action allows it.
import { useState } from 'react';
import { Badge, Banner, BlockStack, Button, ButtonGroup, Card, Checkbox, DataTable, FormLayout, InlineStack, Modal, Text, TextField } from '@shopify/polaris';
import { useMutation } from 'urql';
import { ApproveProposalMutation, RejectProposalMutation, UndoProposalMutation } from '../api/documents.js';
import { ErrorBanner } from './States.jsx';

const kStatusTone = {
    PENDING: 'attention',
    APPROVED: 'info',
    EXECUTING: 'info',
    SUCCEEDED: 'success',
    FAILED: 'critical',
    REJECTED: undefined,
    EXPIRED: undefined,
};

// Parameters are edited field by field; values keep their JSON type (numbers stay numbers).
export function formatInstant(iso) {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function applyEdits(parameters, edits) {
    const out = { ...parameters };
    for (const [k, text] of Object.entries(edits)) {
        const original = parameters[k];
        if (typeof original === 'number') {
            const n = Number(text);
            if (!Number.isFinite(n)) throw new Error(`${k} must be a number`);
            out[k] = n;
        } else if (typeof original === 'boolean') {
            out[k] = text === 'true';
        } else if (original !== null && typeof original === 'object') {
            out[k] = JSON.parse(text);
        } else {
            out[k] = text;
        }
    }
    return out;
}

function asText(v) {
    if (v === null || v === undefined) return '';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

// onChanged: called after a decision or an undo went through, so the owner can reload what changed.
export function ProposalCard({ proposal, onChanged }) {
    const [approve, runApprove] = useMutation(ApproveProposalMutation);
    const [reject, runReject] = useMutation(RejectProposalMutation);
    const [undo, runUndo] = useMutation(UndoProposalMutation);
    const [editing, setEditing] = useState(false);
    const [edits, setEdits] = useState({});
    const [editError, setEditError] = useState(null);
    const [rejecting, setRejecting] = useState(false);
    const [reason, setReason] = useState('');
    const [revise, setRevise] = useState(false);
    const p = proposal;
    const params = p.parameters && typeof p.parameters === 'object' ? p.parameters : {};
    const pending = p.status === 'PENDING';
    const busy = approve.fetching || reject.fetching || undo.fetching;

    const doApprove = async () => {
        let parameters = null;
        if (editing) {
            try {
                parameters = applyEdits(params, edits);
            } catch (e) {
                setEditError(e.message);
                return;
            }
        }
        setEditError(null);
        const res = await runApprove({ id: p.id, parameters });
        if (!res.error) {
            setEditing(false);
            onChanged?.();
        }
    };
    const doReject = async () => {
        // A revision is shaped by the reason, so the server requires one with revise: true.
        const res = await runReject({ id: p.id, reason: reason.trim() || null, ...(revise ? { revise: true } : {}) });
        if (!res.error) {
            setRejecting(false);
            onChanged?.();
        }
    };

    return (
        <Card>
            <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center" gap="200" wrap>
                    <Text as="h3" variant="headingMd">{p.title}</Text>
                    <Badge tone={kStatusTone[p.status]}>{p.status.toLowerCase()}</Badge>
                </InlineStack>
                <Text as="p">{p.description}</Text>
                {p.missingScopes?.length > 0 && (
                    <Banner tone="warning" title="More access needed">
                        <p>This action needs the {p.missingScopes.join(', ')} permission. Relink the store to grant it.</p>
                    </Banner>
                )}
                {p.preview?.length > 0 ? (
                    <DataTable
                        columnContentTypes={['text', 'text', 'text']}
                        headings={['What', 'Before', 'After']}
                        rows={p.preview.map((c) => [`${c.target} · ${c.field}`, c.before ?? '—', c.after ?? '—'])}
                    />
                ) : (
                    <Text as="p" tone="subdued">No preview is available for this action.</Text>
                )}
                {editing && (
                    <FormLayout>
                        {Object.entries(params).map(([k, v]) => (
                            <TextField
                                key={k}
                                label={k}
                                value={edits[k] ?? asText(v)}
                                onChange={(text) => setEdits((e) => ({ ...e, [k]: text }))}
                                autoComplete="off"
                            />
                        ))}
                        {editError && <ErrorBanner error={editError} title="Check the changes" />}
                    </FormLayout>
                )}
                <ErrorBanner error={approve.error || reject.error || undo.error} title="The action could not be updated" />
                {pending && p.expiresAt && (
                    <Text as="p" tone="subdued">Awaits your decision until {formatInstant(p.expiresAt)}.</Text>
                )}
                {p.decisionReason && (p.status === 'REJECTED' || p.status === 'EXPIRED') && (
                    <Text as="p" tone="subdued">{p.status === 'REJECTED' ? 'Your reason' : 'Why'}: {p.decisionReason}</Text>
                )}
                {p.revisionOf && (
                    <Text as="p" tone="subdued">A revised proposal, made from your feedback on an earlier one.</Text>
                )}
                {p.revisedBy && (
                    <Text as="p" tone="subdued">Revised as “{p.revisedBy.title}” ({p.revisedBy.status.toLowerCase()}).</Text>
                )}
                {p.outcome && (
                    <Banner tone={p.outcome.succeeded ? 'success' : 'critical'} title={p.outcome.succeeded ? 'Done in your store' : 'The action failed'}>
                        <p>{p.outcome.message}</p>
                        {p.outcome.shopifyUserErrors?.map((e) => <p key={e}>{e}</p>)}
                    </Banner>
                )}
                {pending && (
                    <ButtonGroup>
                        <Button variant="primary" onClick={doApprove} loading={approve.fetching} disabled={busy || p.missingScopes?.length > 0}>
                            {editing ? 'Save and approve' : 'Approve'}
                        </Button>
                        <Button onClick={() => { setEditing((v) => !v); setEdits({}); setEditError(null); }} disabled={busy}>
                            {editing ? 'Cancel edit' : 'Edit'}
                        </Button>
                        <Button tone="critical" variant="plain" onClick={() => setRejecting(true)} disabled={busy}>Reject</Button>
                    </ButtonGroup>
                )}
                {p.status === 'SUCCEEDED' && (
                    <InlineStack>
                        <Button onClick={() => runUndo({ id: p.id }).then((res) => !res.error && onChanged?.())} loading={undo.fetching}>Undo</Button>
                    </InlineStack>
                )}
            </BlockStack>
            <Modal
                open={rejecting}
                onClose={() => setRejecting(false)}
                title={`Reject “${p.title}”`}
                primaryAction={{
                    content: 'Reject', destructive: true, onAction: doReject, loading: reject.fetching,
                    disabled: revise && !reason.trim(),
                }}
                secondaryActions={[{ content: 'Cancel', onAction: () => setRejecting(false) }]}
            >
                <Modal.Section>
                    <FormLayout>
                        <TextField label="Reason (helps Alatar learn what you prefer)" value={reason} onChange={setReason} multiline={2} autoComplete="off" />
                        <Checkbox
                            label="Ask Alatar for a revised proposal"
                            helpText={revise ? 'Say in the reason what should change, for example “too generous, go lower”.' : undefined}
                            checked={revise}
                            onChange={setRevise}
                        />
                    </FormLayout>
                </Modal.Section>
            </Modal>
        </Card>
    );
}
