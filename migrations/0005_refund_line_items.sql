-- Refunds as Shopify records them: each refund of an order with its date, and what it refunded per line item
-- (quantity and merchandise subtotal). Analyses date returns by the refund and attribute them to products;
-- shop_orders.total_refunded_amount stays the order's total (shipping and tax included).
CREATE TABLE shop_refunds (
    store_id              uuid NOT NULL,
    shopify_gid           text NOT NULL,
    order_gid             text NOT NULL,
    created_at            timestamptz NOT NULL,
    total_refunded_amount numeric(18,4) NOT NULL DEFAULT 0,  -- totalRefundedSet: merchandise, tax and shipping
    fetched_at            timestamptz NOT NULL DEFAULT now(),
    expires_at            timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid),
    FOREIGN KEY (store_id, order_gid) REFERENCES shop_orders (store_id, shopify_gid) ON DELETE CASCADE
);
CREATE INDEX shop_refunds_order_idx ON shop_refunds (store_id, order_gid);
CREATE INDEX shop_refunds_created_idx ON shop_refunds (store_id, created_at);  -- returns by period

CREATE TABLE shop_refund_line_items (
    store_id        uuid NOT NULL,
    shopify_gid     text NOT NULL,                 -- the RefundLineItem gid
    refund_gid      text NOT NULL,
    line_item_gid   text NOT NULL,                 -- no FK: the refund may be cached before its order's lines
    quantity        integer NOT NULL CHECK (quantity >= 0),
    subtotal_amount numeric(18,4) NOT NULL DEFAULT 0,  -- subtotalSet: refunded merchandise after line discounts
    fetched_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid),
    FOREIGN KEY (store_id, refund_gid) REFERENCES shop_refunds (store_id, shopify_gid) ON DELETE CASCADE
);
CREATE INDEX shop_refund_line_items_refund_idx ON shop_refund_line_items (store_id, refund_gid);
CREATE INDEX shop_refund_line_items_line_idx ON shop_refund_line_items (store_id, line_item_gid);
