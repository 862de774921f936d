// What each KPI formula id means, in the merchant's words (the full definitions are in docs/metrics.md).
const kDefinitions = {
    gross_sales: 'unit price × quantity over the period’s orders, before discounts',
    discounts: 'all discounts on the period’s orders',
    returns: 'refunded merchandise, counted on the refund’s date',
    net_sales: 'gross sales − discounts − returns',
    orders: 'orders placed in the period (test and cancelled orders excluded)',
    aov: '(gross sales − discounts) ÷ orders',
    units: 'quantities ordered in the period',
    new_customers: 'customers whose first order ever is in the period',
    returning_customers: 'customers with an order in the period and one before it',
    repeat_purchase_rate: 'share of the period’s customers with at least two orders so far',
    clv_historical: 'net sales of all orders with a customer so far ÷ those customers',
};

// "net_sales.v1" -> its definition, or null for an id this dashboard does not know.
export function formulaDefinition(formulaId) {
    if (!formulaId) return null;
    return kDefinitions[formulaId.replace(/\.v\d+$/, '')] ?? null;
}
