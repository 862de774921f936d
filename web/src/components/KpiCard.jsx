// One KPI: value, change against the previous window, and a tooltip with the formula and the window.
import { Badge, BlockStack, Card, InlineStack, Text, Tooltip } from '@shopify/polaris';
import { formulaDefinition } from './formulas.js';

export function formatValue(value, unit) {
    if (value === null || value === undefined) return '—';
    if (unit === '%') return `${value.toFixed(1)}%`;
    if (unit && /^[A-Z]{3}$/.test(unit)) {
        try {
            return new Intl.NumberFormat(undefined, { style: 'currency', currency: unit, maximumFractionDigits: 2 }).format(value);
        } catch {
            // An unknown currency code: fall through to a plain number.
        }
    }
    const n = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value);
    return unit ? `${n} ${unit}` : n;
}

export function formatChange(changePct) {
    if (changePct === null || changePct === undefined) return null;
    const sign = changePct > 0 ? '+' : changePct < 0 ? '−' : '±';
    return `${sign}${Math.abs(changePct).toFixed(1)}%`;
}

// A window is [from, to) in UTC between two local midnights of the shop. Shifting each end by half a day
// into the window lands on the right local day for any UTC offset within ±12 h, without the shop's zone.
export function formatWindow(window) {
    if (!window) return 'the analysed window';
    const halfDay = 12 * 3600 * 1000;
    const d = (ms) => new Date(ms).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    return `${d(Date.parse(window.from) + halfDay)} – ${d(Date.parse(window.to) - halfDay)}`;
}

export function KpiCard({ kpi, window }) {
    const change = formatChange(kpi.changePct);
    const tone = kpi.changePct > 0 ? 'success' : kpi.changePct < 0 ? 'critical' : undefined;
    const provenance = kpi.provenance;
    const definition = formulaDefinition(provenance?.formulaId);
    const tip = (
        <BlockStack gap="100">
            {definition && <Text as="span">{kpi.label} = {definition}</Text>}
            <Text as="span">Over {formatWindow(provenance?.window ?? window)}</Text>
            {kpi.previousValue !== null && kpi.previousValue !== undefined && (
                <Text as="span">
                    {provenance?.previousWindow ? `Compared with ${formatWindow(provenance.previousWindow)}` : 'Previous window'}:{' '}
                    {formatValue(kpi.previousValue, kpi.unit)}
                </Text>
            )}
            <Text as="span">Change = (current − previous) ÷ previous × 100</Text>
            {provenance?.formulaId && <Text as="span" tone="subdued">Formula {provenance.formulaId} (docs/metrics.md)</Text>}
        </BlockStack>
    );
    return (
        <Card>
            <Tooltip content={tip} preferredPosition="above">
                <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">{kpi.label}</Text>
                    <InlineStack gap="200" blockAlign="center" wrap>
                        <Text as="p" variant="headingLg">{formatValue(kpi.value, kpi.unit)}</Text>
                        {change && <Badge tone={tone}>{change}</Badge>}
                    </InlineStack>
                </BlockStack>
            </Tooltip>
        </Card>
    );
}
