#!/usr/bin/env node
// Ground truth for the evaluation, computed from the simulator's ground-truth export (JSON Lines) with the
// definitions of docs/metrics.md, written here from scratch: it shares no code with src/intelligence.
//
//   node bench/eval/truth.mjs --export DIR --questions bench/eval/questions.json --out truth.json
//
// For every window a question expects it writes the KPIs of the window and of its comparison window, the
// per-product and per-discount-code figures, and the driver decomposition, keyed by the window spec.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function args() {
    const out = {};
    const argv = process.argv.slice(2);
    for (let i = 0; i + 1 < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
    for (const k of ['export', 'questions', 'out']) {
        if (!out[k]) throw new Error(`--${k} is required`);
    }
    return out;
}

function jsonl(dir, name) {
    const text = readFileSync(join(dir, name), 'utf8');
    return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

// Decimal string -> integer minor units ("12.50" -> 1250 with 2 digits).
function minor(text, digits) {
    if (text === null || text === undefined) return 0;
    const negative = text.startsWith('-');
    const [whole, frac = ''] = (negative ? text.slice(1) : text).split('.');
    const padded = (frac + '0'.repeat(digits)).slice(0, digits);
    const value = Number(whole) * 10 ** digits + (digits > 0 ? Number(padded) : 0);
    return negative ? -value : value;
}

// ---- calendar: local days as integers (days since 1970-01-01 in the shop's fixed offset) ----
const DAY_MS = 86400000;
const dayOfIso = (iso) => Math.floor(Date.parse(iso) / DAY_MS);  // a "YYYY-MM-DD" date's day number
const isoOfDay = (d) => new Date(d * DAY_MS).toISOString().slice(0, 10);
function ymd(d) {
    const t = new Date(d * DAY_MS);
    return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, day: t.getUTCDate() };
}
const dayOf = (y, m, day) => Math.floor(Date.UTC(y, m - 1, day) / DAY_MS);
const lastOfMonth = (y, m) => dayOf(y, m + 1, 1) - 1;
const mondayOf = (d) => d - ((new Date(d * DAY_MS).getUTCDay() + 6) % 7);
const before = (w) => ({ first: w.first - (w.last - w.first + 1), last: w.first - 1 });

// The window a spec names, relative to the shop's local today, with its comparison (docs/metrics.md).
function resolveWindow(spec, today) {
    const t = ymd(today);
    const yesterday = today - 1;
    let m;
    if (spec === 'last_week') {
        const monday = mondayOf(today) - 7;
        const w = { first: monday, last: monday + 6 };
        return { current: w, comparison: before(w) };
    }
    if (spec === 'this_week') {
        const w = { first: mondayOf(today), last: today };
        return { current: w, comparison: { first: w.first - 7, last: w.last - 7 } };
    }
    if (spec === 'yesterday') {
        const w = { first: yesterday, last: yesterday };
        return { current: w, comparison: before(w) };
    }
    if ((m = /^last_(\d+)_days$/.exec(spec))) {
        const w = { first: today - Number(m[1]), last: yesterday };
        return { current: w, comparison: before(w) };
    }
    if ((m = /^last_(\d+)_weeks$/.exec(spec))) {
        const w = { first: today - 7 * Number(m[1]), last: yesterday };
        return { current: w, comparison: before(w) };
    }
    if (spec === 'past_week') {
        const w = { first: today - 7, last: yesterday };
        return { current: w, comparison: before(w) };
    }
    const month = (y, mo) => ({ first: dayOf(y, mo, 1), last: lastOfMonth(y, mo) });
    const previousMonth = (y, mo) => (mo === 1 ? [y - 1, 12] : [y, mo - 1]);
    if (spec === 'last_month') {
        const [y, mo] = previousMonth(t.y, t.m);
        return { current: month(y, mo), comparison: month(...previousMonth(y, mo)) };
    }
    if (spec === 'this_month') {
        const w = { first: dayOf(t.y, t.m, 1), last: today };
        return { current: w, comparison: before(w) };
    }
    if ((m = /^month:(\d{4})-(\d{2})$/.exec(spec))) {
        const y = Number(m[1]);
        const mo = Number(m[2]);
        return { current: month(y, mo), comparison: month(...previousMonth(y, mo)) };
    }
    if ((m = /^quarter:(\d{4})-Q([1-4])$/.exec(spec))) {
        const y = Number(m[1]);
        const q = Number(m[2]);
        const cur = { first: dayOf(y, 3 * q - 2, 1), last: lastOfMonth(y, 3 * q) };
        const pq = q === 1 ? 4 : q - 1;
        const py = q === 1 ? y - 1 : y;
        return { current: cur, comparison: { first: dayOf(py, 3 * pq - 2, 1), last: lastOfMonth(py, 3 * pq) } };
    }
    if (spec === 'last_year') {
        return {
            current: { first: dayOf(t.y - 1, 1, 1), last: dayOf(t.y - 1, 12, 31) },
            comparison: { first: dayOf(t.y - 2, 1, 1), last: dayOf(t.y - 2, 12, 31) },
        };
    }
    if (spec === 'this_year') {
        return {
            current: { first: dayOf(t.y, 1, 1), last: today },
            comparison: { first: dayOf(t.y - 1, 1, 1), last: dayOf(t.y - 1, t.m, t.day) },
        };
    }
    throw new Error(`unknown window spec '${spec}'`);
}

// ---- the store, indexed ----
function loadStore(dir) {
    const shop = JSON.parse(readFileSync(join(dir, 'shop.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const digits = { JPY: 0, KRW: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 }[shop.currency_code] ?? 2;
    const offsetMs = shop.utc_offset_minutes * 60000;
    const localDay = (iso) => Math.floor((Date.parse(iso) + offsetMs) / DAY_MS);

    const products = new Map(jsonl(dir, 'products.jsonl').map((p) => [p.id, p]));
    const itemProduct = new Map();
    for (const v of jsonl(dir, 'variants.jsonl')) itemProduct.set(v.inventory_item_id, v.product_id);
    const available = new Map();
    for (const level of jsonl(dir, 'inventory_levels.jsonl')) {
        const p = itemProduct.get(level.inventory_item_id);
        available.set(p, (available.get(p) ?? 0) + level.available);
    }

    const orders = jsonl(dir, 'orders.jsonl');
    const sale = new Map();  // order id -> sale order record
    let excluded = 0;
    for (const o of orders) {
        if (o.test || o.cancelled_at !== null) {
            excluded++;
            continue;
        }
        sale.set(o.id, {
            id: o.id,
            time: Date.parse(o.processed_at),
            day: localDay(o.processed_at),
            customer: o.customer_id,
            discounts: minor(o.total_discounts, digits),
            code: o.discount_codes.length > 0 ? (o.discount_codes[0].code ?? o.discount_codes[0]) : '(no code)',
            gross: 0,
            units: 0,
            lines: [],
        });
    }
    const lineById = new Map();
    for (const l of jsonl(dir, 'line_items.jsonl')) {
        const o = sale.get(l.order_id);
        if (!o) continue;
        const line = {
            order: o,
            product: l.product_id,
            quantity: l.quantity,
            gross: minor(l.price, digits) * l.quantity,
            discount: minor(l.total_discount, digits),
            refunded: 0,
        };
        o.gross += line.gross;
        o.units += line.quantity;
        o.lines.push(line);
        lineById.set(l.id, line);
    }
    const refundTime = new Map(jsonl(dir, 'refunds.jsonl').map((r) => [r.id, r.created_at]));
    const returns = [];
    for (const r of jsonl(dir, 'refund_line_items.jsonl')) {
        const o = sale.get(r.order_id);
        if (!o) continue;
        const at = refundTime.get(r.refund_id);
        const line = lineById.get(r.line_item_id);
        if (line) line.refunded += r.quantity;
        returns.push({ order: o, line, product: line?.product, day: localDay(at), time: Date.parse(at),
                       quantity: r.quantity, amount: minor(r.subtotal, digits) });
    }
    const saleOrders = [...sale.values()].sort((a, b) => a.time - b.time);
    // Each customer's sale orders in time order: first order time and ordinal.
    const firstTime = new Map();
    const seen = new Map();
    for (const o of saleOrders) {
        if (o.customer === null) continue;
        if (!firstTime.has(o.customer)) firstTime.set(o.customer, o.time);
        o.ordinal = (seen.get(o.customer) ?? 0) + 1;
        seen.set(o.customer, o.ordinal);
    }
    const today = dayOfIso(manifest.today);
    return { shop, manifest, digits, products, available, saleOrders, returns, firstTime, today, excluded,
             localDayStartMs: (d) => d * DAY_MS - offsetMs };
}

// ---- formulas ----
const inWindow = (day, w) => day >= w.first && day <= w.last;

function salesTotals(store, w) {
    const t = { gross: 0, discounts: 0, returns: 0, orders: 0, units: 0 };
    for (const o of store.saleOrders) {
        if (!inWindow(o.day, w)) continue;
        t.gross += o.gross;
        t.discounts += o.discounts;
        t.units += o.units;
        t.orders++;
    }
    for (const r of store.returns) if (inWindow(r.day, w)) t.returns += r.amount;
    return t;
}

function customerFigures(store, w) {
    const begin = store.localDayStartMs(w.first);
    const end = store.localDayStartMs(w.last + 1);
    const inWin = new Map();  // customer -> max ordinal in window
    for (const o of store.saleOrders) {
        if (!inWindow(o.day, w) || o.customer === null) continue;
        inWin.set(o.customer, Math.max(inWin.get(o.customer) ?? 0, o.ordinal));
    }
    let fresh = 0;
    let repeat = 0;
    for (const [c, maxOrdinal] of inWin) {
        if (store.firstTime.get(c) >= begin) fresh++;
        if (maxOrdinal >= 2) repeat++;
    }
    // Historical CLV at the window's end.
    let net = 0;
    const customers = new Set();
    const counted = new Set();
    for (const o of store.saleOrders) {
        if (o.time >= end || o.customer === null) continue;
        net += o.gross - o.discounts;
        customers.add(o.customer);
        counted.add(o.id);
    }
    for (const r of store.returns) {
        if (r.time < end && counted.has(r.order.id)) net -= r.amount;
    }
    const major = 10 ** store.digits;
    return {
        new_customers: fresh,
        returning_customers: inWin.size - fresh,
        repeat_purchase_rate: inWin.size ? (100 * repeat) / inWin.size : null,
        customer_lifetime_value: customers.size ? net / major / customers.size : null,
    };
}

function kpis(store, w) {
    const t = salesTotals(store, w);
    const major = 10 ** store.digits;
    return {
        gross_sales: t.gross / major,
        discounts: t.discounts / major,
        returns: t.returns / major,
        net_sales: (t.gross - t.discounts - t.returns) / major,
        orders: t.orders,
        aov: t.orders ? (t.gross - t.discounts) / major / t.orders : null,
        units: t.units,
        ...customerFigures(store, w),
    };
}

// Per product over a window: net sales (line net minus the product's returns by refund date), units,
// units refunded at any date of the window's units, and inventory figures at the window's end.
function productFigures(store, w) {
    const out = new Map();
    const get = (p) => {
        if (!out.has(p)) out.set(p, { net: 0, units: 0, refundedUnits: 0, units28: 0, lastSale: null, days: [] });
        return out.get(p);
    };
    const rateFrom = w.last - 27;
    for (const o of store.saleOrders) {
        if (o.day > w.last) continue;
        for (const l of o.lines) {
            const f = get(l.product);
            if (o.day >= rateFrom) f.units28 += l.quantity;
            f.lastSale = f.lastSale === null ? o.day : Math.max(f.lastSale, o.day);
            f.days.push([o.day, l.quantity]);
            if (o.day < w.first) continue;
            f.net += l.gross - l.discount;
            f.units += l.quantity;
            f.refundedUnits += l.refunded;
        }
    }
    for (const r of store.returns) {
        if (r.product !== undefined && inWindow(r.day, w)) get(r.product).net -= r.amount;
    }
    const major = 10 ** store.digits;
    const result = {};
    for (const [id, p] of store.products) {
        const f = out.get(id) ?? { net: 0, units: 0, refundedUnits: 0, units28: 0, lastSale: null, days: [] };
        const avail = store.available.get(id);
        const onHand = avail === undefined ? undefined : Math.max(avail, 0);
        const rate = f.units28 / 28;
        // Silent run: days since the last sale, and the daily rate over the 28 days up to that sale.
        const silentDays = f.lastSale === null ? 0 : w.last - f.lastSale;
        const priorUnits = f.days.filter(([d]) => f.lastSale !== null && d > f.lastSale - 28)
            .reduce((sum, [, q]) => sum + q, 0);
        const prior = priorUnits / 28;
        const silentRun = silentDays >= 3 && prior * silentDays >= 5;
        const cover = onHand !== undefined && rate > 0 ? onHand / rate : null;
        let risk = 'unknown';
        if (avail !== undefined) {
            if (avail <= 0) risk = 'out_of_stock';
            else if (cover === null || cover >= 30) risk = 'none';
            else risk = cover < 7 ? 'high' : cover < 14 ? 'medium' : 'low';
        }
        const suspected = (avail !== undefined && avail <= 0 && (f.units28 > 0 || silentRun)) || silentRun;
        result[`gid://shopify/Product/${id}`] = {
            title: p.title,
            netSales: f.net / major,
            units: f.units,
            available: avail ?? null,
            dailyUnits: rate,
            sellThroughPct: onHand !== undefined && f.units + onHand > 0 ? (100 * f.units) / (f.units + onHand) : null,
            daysOfCover: cover,
            risk,
            suspectedStockout: suspected,
            daysWithoutSales: silentDays,
            priorDailyUnits: prior,
            unitsRefunded: f.refundedUnits,
            refundRatePct: f.units > 0 ? (100 * f.refundedUnits) / f.units : null,
        };
    }
    return result;
}

// Net sales per local day (orders' gross - discounts, minus the day's refunds), for the days of a range.
function dailyNet(store, first, last) {
    const major = 10 ** store.digits;
    const days = new Map();
    for (const o of store.saleOrders) {
        if (o.day >= first && o.day <= last) days.set(o.day, (days.get(o.day) ?? 0) + o.gross - o.discounts);
    }
    for (const r of store.returns) {
        if (r.day >= first && r.day <= last) days.set(r.day, (days.get(r.day) ?? 0) - r.amount);
    }
    const out = {};
    for (let d = first; d <= last; d++) out[isoOfDay(d)] = (days.get(d) ?? 0) / major;
    return out;
}

function discountFigures(store, w) {
    const codes = {};
    const major = 10 ** store.digits;
    for (const o of store.saleOrders) {
        if (!inWindow(o.day, w)) continue;
        const c = (codes[o.code] ??= { orders: 0, gross: 0, discounts: 0 });
        c.orders++;
        c.gross += o.gross;
        c.discounts += o.discounts;
    }
    const out = {};
    for (const [code, c] of Object.entries(codes)) {
        out[code] = {
            orders: c.orders,
            grossSales: c.gross / major,
            discounts: c.discounts / major,
            netSales: (c.gross - c.discounts) / major,
            aov: (c.gross - c.discounts) / major / c.orders,
            discountRatePct: c.gross ? (100 * c.discounts) / c.gross : null,
        };
    }
    return out;
}

// "Why did net sales change": the order-count / order-value split and the most negative product.
function drivers(store, cur, prev, productsCur, productsPrev) {
    const a = salesTotals(store, prev);
    const b = salesTotals(store, cur);
    const major = 10 ** store.digits;
    const aov0 = a.orders ? (a.gross - a.discounts) / a.orders : 0;
    const aov1 = b.orders ? (b.gross - b.discounts) / b.orders : 0;
    const dOrders = b.orders - a.orders;
    const dAov = aov1 - aov0;
    let top = null;
    for (const [id, p] of Object.entries(productsCur)) {
        const delta = p.netSales - (productsPrev[id]?.netSales ?? 0);
        if (delta < 0 && (top === null || delta < top.delta)) top = { productId: id, product: p.title, delta };
    }
    return {
        delta: (b.gross - b.discounts - b.returns - (a.gross - a.discounts - a.returns)) / major,
        volumeEffect: (dOrders * aov0) / major,
        valueEffect: (a.orders * dAov) / major,
        interactionEffect: (dOrders * dAov) / major,
        returnsEffect: -(b.returns - a.returns) / major,
        topNegative: top,
    };
}

// cohort_retention.v1: customers grouped by the local month of their first sale order, the `months` cohorts
// ending with the window's month; m<k> = % of the cohort with a sale order k months later, orders up to the
// window's end. Cells after the window's month are null.
function cohortRetention(store, w, months = 12) {
    const end = store.localDayStartMs(w.last + 1);
    const monthNo = (day) => {
        const t = ymd(day);
        return t.y * 12 + t.m - 1;
    };
    const lastMonth = monthNo(w.last);
    const firstMonth = lastMonth - months + 1;
    const activeMonths = new Map();  // customer -> the months with a sale order, first one first
    for (const o of store.saleOrders) {
        if (o.time >= end || o.customer === null) continue;
        if (!activeMonths.has(o.customer)) activeMonths.set(o.customer, new Set());
        activeMonths.get(o.customer).add(monthNo(o.day));
    }
    const cohorts = {};
    for (let m = firstMonth; m <= lastMonth; m++) {
        const members = [...activeMonths.values()].filter((set) => Math.min(...set) === m);
        const label = `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
        const row = { customers: members.length };
        for (let k = 0; k < months; k++) {
            row[`m${k}`] = m + k > lastMonth || members.length === 0
                ? null : (100 * members.filter((set) => set.has(m + k)).length) / members.length;
        }
        cohorts[label] = row;
    }
    return cohorts;
}

// Customers whose last sale order (up to the window's end) was 60 to 180 days before the window's end: the
// audience of the win-back recommendation.
function lapsedCustomers(store, w) {
    const end = store.localDayStartMs(w.last + 1);
    const last = new Map();
    for (const o of store.saleOrders) {
        if (o.time < end && o.customer !== null) last.set(o.customer, Math.max(last.get(o.customer) ?? 0, o.time));
    }
    return [...last.values()].filter((t) => t < end - 60 * DAY_MS && t >= end - 180 * DAY_MS).length;
}

// The forecast backtest: the last `weeks` complete ISO weeks before today are held out, repeated for `origins`
// origins one week apart (origin 0 = the most recent). For each: the daily net sales the forecaster may see
// (the 16 weeks before the held-out weeks), the actual weekly net sales of the held-out weeks, and two naive
// baselines computed here: the same ISO weeks a year earlier (364 days, so weekdays line up) and the mean of
// the 4 weeks before the held-out ones.
function backtests(store, weeks = 4, origins = 13, historyDays = 112) {
    const lastSunday = mondayOf(store.today) - 1;  // the end of the last complete week
    const week = (first) => Object.values(dailyNet(store, first, first + 6)).reduce((a, b) => a + b, 0);
    const out = [];
    for (let o = 0; o < origins; o++) {
        const holdoutFirst = lastSunday - 7 * weeks + 1 - 7 * o;
        const history = dailyNet(store, holdoutFirst - historyDays, holdoutFirst - 1);
        let recent = 0;
        for (let k = 1; k <= 4; k++) recent += week(holdoutFirst - 7 * k);
        const held = [];
        for (let k = 0; k < weeks; k++) {
            const first = holdoutFirst + 7 * k;
            held.push({ from: isoOfDay(first), to: isoOfDay(first + 6), actual: week(first),
                        sameWeekLastYear: week(first - 364), last4WeeksMean: recent / 4 });
        }
        out.push({ historyFrom: isoOfDay(holdoutFirst - historyDays), historyTo: isoOfDay(holdoutFirst - 1),
                   history: Object.values(history), weeks: held });
    }
    return out;
}

function main() {
    const opts = args();
    const store = loadStore(opts.export);
    const questions = JSON.parse(readFileSync(opts.questions, 'utf8')).questions;
    const windows = {};
    for (const q of questions) {
        if (!q.window || windows[q.window]) continue;
        const { current, comparison } = resolveWindow(q.window, store.today);
        const productsCur = productFigures(store, current);
        const productsPrev = productFigures(store, comparison);
        for (const [id, p] of Object.entries(productsCur)) {
            const before = productsPrev[id]?.netSales;
            p.previousNetSales = before ?? 0;
            p.growthPct = before ? ((p.netSales - before) / Math.abs(before)) * 100 : null;
        }
        windows[q.window] = {
            current: { from: isoOfDay(current.first), to: isoOfDay(current.last) },
            comparison: { from: isoOfDay(comparison.first), to: isoOfDay(comparison.last) },
            kpis: kpis(store, current),
            previous: kpis(store, comparison),
            products: productsCur,
            discounts: discountFigures(store, current),
            drivers: drivers(store, current, comparison, productsCur, productsPrev),
            // The 16 weeks ending with the window (what anomalies are looked for in).
            daily: dailyNet(store, current.last - 111, current.last),
            cohorts: cohortRetention(store, current),
            lapsedCustomers: lapsedCustomers(store, current),
            // Products out of stock (having sold before), at high or medium risk, or suspected out of stock.
            atRisk: Object.values(productsCur).filter((p) => p.suspectedStockout || p.risk === 'high' ||
                p.risk === 'medium' || (p.risk === 'out_of_stock' && p.priorDailyUnits > 0)).length,
        };
    }
    const truth = {
        shop: store.shop.domain,
        profile: store.manifest.profile,
        seed: store.manifest.seed,
        today: store.manifest.today,
        currency: store.shop.currency_code,
        excludedOrders: store.excluded,
        windows,
        backtests: backtests(store),
    };
    writeFileSync(opts.out, JSON.stringify(truth, null, 1));
}

main();
