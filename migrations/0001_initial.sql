-- Alatar schema, version 1. Forward-only: change it with a new NNNN_name.sql, never by editing this file.
-- Conventions: uuid keys (gen_random_uuid), timestamptz for every time, money as numeric(18,4),
-- enum-like text columns guarded by CHECK constraints (cheaper to extend than CREATE TYPE ... AS ENUM),
-- an index for every foreign key and every lookup the API and workers run.

-- Keeps updated_at honest without relying on every UPDATE statement to set it.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------- accounts

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),  -- NULL for Shopify-only logins
    password_hash text,                                                               -- NULL for Shopify/IdP logins
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Logins through an identity provider ("shopify" with the shop's user id, or an OIDC issuer).
CREATE TABLE identities (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider   text NOT NULL CHECK (provider <> ''),
    subject    text NOT NULL CHECK (subject <> ''),
    email      text CHECK (email = lower(email)),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, subject)
);
CREATE INDEX identities_user_id_idx ON identities (user_id);

-- Opaque bearer sessions: only a hash of the token is stored.
CREATE TABLE sessions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash      text NOT NULL UNIQUE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,  -- absolute lifetime
    idle_expires_at timestamptz NOT NULL,  -- pushed forward on use, never past expires_at
    revoked_at      timestamptz,
    user_agent      text,
    CHECK (idle_expires_at <= expires_at)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);  -- cleanup sweep

CREATE TABLE user_preferences (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    llm_model  text NOT NULL DEFAULT 'offline',
    timezone   text NOT NULL DEFAULT 'UTC',
    language   text NOT NULL DEFAULT 'en',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER user_preferences_updated_at BEFORE UPDATE ON user_preferences
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---------------------------------------------------------------- Shopify stores and OAuth

CREATE TABLE shopify_stores (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                 uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    shop_domain             text NOT NULL CHECK (shop_domain = lower(shop_domain) AND shop_domain <> ''),
    name                    text,
    currency                text CHECK (currency ~ '^[A-Z]{3}$'),
    timezone                text,
    access_token_ciphertext bytea,           -- sealed with the application key; NULL once revoked
    key_id                  text,            -- which application key sealed it (rotation)
    scopes                  text[] NOT NULL DEFAULT '{}',
    status                  text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'UNINSTALLED', 'TOKEN_REVOKED')),
    linked_at               timestamptz NOT NULL DEFAULT now(),
    last_synced_at          timestamptz,
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, shop_domain),
    CHECK (access_token_ciphertext IS NULL OR key_id IS NOT NULL)
);
CREATE INDEX shopify_stores_shop_domain_idx ON shopify_stores (shop_domain);  -- webhooks arrive by shop
CREATE TRIGGER shopify_stores_updated_at BEFORE UPDATE ON shopify_stores
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One-time OAuth state values (stored hashed), bound to a user (linking) or to none (login with Shopify).
CREATE TABLE oauth_states (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    state_hash text NOT NULL UNIQUE,
    user_id    uuid REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL DEFAULT 'link' CHECK (purpose IN ('link', 'login')),
    shop       text NOT NULL CHECK (shop = lower(shop)),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    CHECK (purpose = 'login' OR user_id IS NOT NULL)
);
CREATE INDEX oauth_states_user_id_idx ON oauth_states (user_id);
CREATE INDEX oauth_states_expires_at_idx ON oauth_states (expires_at);

-- Progress of the (resumable) bulk sync of one store.
CREATE TABLE store_sync_state (
    store_id   uuid PRIMARY KEY REFERENCES shopify_stores (id) ON DELETE CASCADE,
    phase      text NOT NULL DEFAULT 'PENDING',  -- PENDING, PRODUCTS, CUSTOMERS, ORDERS, INVENTORY, DONE, FAILED
    cursor     text,                             -- Shopify pagination cursor within the phase
    progress   double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    last_error text,
    started_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER store_sync_state_updated_at BEFORE UPDATE ON store_sync_state
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- ---------------------------------------------------------------- cached Shopify data
-- Each row is keyed by (store_id, shopify_gid), carries fetched_at and expires_at (TTL), and is kept
-- fresh by webhooks and re-syncs. created_at/updated_at here are Shopify's times, not ours.

CREATE TABLE shop_customers (
    store_id          uuid NOT NULL REFERENCES shopify_stores (id) ON DELETE CASCADE,
    shopify_gid       text NOT NULL,
    email             text,
    first_name        text,
    last_name         text,
    state             text,
    tags              text[] NOT NULL DEFAULT '{}',
    orders_count      integer NOT NULL DEFAULT 0 CHECK (orders_count >= 0),
    amount_spent      numeric(18,4) NOT NULL DEFAULT 0,
    currency          text,
    created_at        timestamptz,
    updated_at        timestamptz,
    fetched_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid)
);
CREATE INDEX shop_customers_created_idx ON shop_customers (store_id, created_at);
CREATE INDEX shop_customers_expires_idx ON shop_customers (store_id, expires_at);

CREATE TABLE shop_orders (
    store_id               uuid NOT NULL REFERENCES shopify_stores (id) ON DELETE CASCADE,
    shopify_gid            text NOT NULL,
    name                   text NOT NULL,            -- "#1001"
    created_at             timestamptz NOT NULL,
    processed_at           timestamptz,
    updated_at             timestamptz,
    cancelled_at           timestamptz,
    test                   boolean NOT NULL DEFAULT false,
    financial_status       text,
    fulfillment_status     text,
    currency               text NOT NULL,
    subtotal_amount        numeric(18,4) NOT NULL DEFAULT 0,
    total_amount           numeric(18,4) NOT NULL DEFAULT 0,
    total_discounts_amount numeric(18,4) NOT NULL DEFAULT 0,
    total_refunded_amount  numeric(18,4) NOT NULL DEFAULT 0,
    total_tax_amount       numeric(18,4) NOT NULL DEFAULT 0,
    total_shipping_amount  numeric(18,4) NOT NULL DEFAULT 0,
    customer_gid           text,                     -- no FK: the customer may not be cached (yet)
    source_name            text,
    tags                   text[] NOT NULL DEFAULT '{}',
    fetched_at             timestamptz NOT NULL DEFAULT now(),
    expires_at             timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid)
);
CREATE INDEX shop_orders_processed_idx ON shop_orders (store_id, processed_at);  -- period analytics
CREATE INDEX shop_orders_created_idx ON shop_orders (store_id, created_at);
CREATE INDEX shop_orders_customer_idx ON shop_orders (store_id, customer_gid);
CREATE INDEX shop_orders_expires_idx ON shop_orders (store_id, expires_at);

CREATE TABLE shop_products (
    store_id        uuid NOT NULL REFERENCES shopify_stores (id) ON DELETE CASCADE,
    shopify_gid     text NOT NULL,
    title           text NOT NULL,
    handle          text,
    description     text,
    product_type    text,
    vendor          text,
    status          text,                              -- ACTIVE, DRAFT, ARCHIVED
    tags            text[] NOT NULL DEFAULT '{}',
    total_inventory integer,
    created_at      timestamptz,
    updated_at      timestamptz,
    published_at    timestamptz,
    fetched_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid)
);
CREATE INDEX shop_products_status_idx ON shop_products (store_id, status);
CREATE INDEX shop_products_expires_idx ON shop_products (store_id, expires_at);

CREATE TABLE shop_product_variants (
    store_id           uuid NOT NULL,
    shopify_gid        text NOT NULL,
    product_gid        text NOT NULL,
    title              text,
    sku                text,
    price              numeric(18,4) NOT NULL DEFAULT 0,
    compare_at_price   numeric(18,4),
    inventory_item_gid text,
    inventory_quantity integer,
    created_at         timestamptz,
    updated_at         timestamptz,
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid),
    FOREIGN KEY (store_id, product_gid) REFERENCES shop_products (store_id, shopify_gid) ON DELETE CASCADE
);
CREATE INDEX shop_product_variants_product_idx ON shop_product_variants (store_id, product_gid);
CREATE INDEX shop_product_variants_item_idx ON shop_product_variants (store_id, inventory_item_gid);
CREATE INDEX shop_product_variants_sku_idx ON shop_product_variants (store_id, sku);

CREATE TABLE shop_order_line_items (
    store_id            uuid NOT NULL,
    shopify_gid         text NOT NULL,
    order_gid           text NOT NULL,
    product_gid         text,                          -- no FK: products can be deleted in Shopify
    variant_gid         text,
    title               text NOT NULL,
    sku                 text,
    quantity            integer NOT NULL CHECK (quantity >= 0),
    original_unit_price numeric(18,4) NOT NULL DEFAULT 0,
    discounted_total    numeric(18,4) NOT NULL DEFAULT 0,
    total_discount      numeric(18,4) NOT NULL DEFAULT 0,
    fetched_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid),
    FOREIGN KEY (store_id, order_gid) REFERENCES shop_orders (store_id, shopify_gid) ON DELETE CASCADE
);
CREATE INDEX shop_order_line_items_order_idx ON shop_order_line_items (store_id, order_gid);
CREATE INDEX shop_order_line_items_product_idx ON shop_order_line_items (store_id, product_gid);
CREATE INDEX shop_order_line_items_variant_idx ON shop_order_line_items (store_id, variant_gid);

CREATE TABLE shop_locations (
    store_id    uuid NOT NULL REFERENCES shopify_stores (id) ON DELETE CASCADE,
    shopify_gid text NOT NULL,
    name        text NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    fetched_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid)
);

CREATE TABLE shop_inventory_levels (
    store_id           uuid NOT NULL REFERENCES shopify_stores (id) ON DELETE CASCADE,
    shopify_gid        text NOT NULL,                  -- the InventoryLevel gid
    inventory_item_gid text NOT NULL,
    location_gid       text NOT NULL,                  -- no FK: levels may arrive before locations
    available          integer NOT NULL DEFAULT 0,
    on_hand            integer,
    updated_at         timestamptz,
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    PRIMARY KEY (store_id, shopify_gid),
    UNIQUE (store_id, inventory_item_gid, location_gid)
);
CREATE INDEX shop_inventory_levels_location_idx ON shop_inventory_levels (store_id, location_gid);

-- ---------------------------------------------------------------- analyses and agents

CREATE TABLE analysis_requests (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    store_id         uuid REFERENCES shopify_stores (id) ON DELETE SET NULL,
    prompt           text NOT NULL CHECK (prompt <> ''),
    status           text NOT NULL DEFAULT 'QUEUED'
                     CHECK (status IN ('QUEUED', 'PLANNING', 'RUNNING', 'REVIEWING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    progress         double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    intent           text,
    llm_model        text,
    error            text,
    cancel_requested boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);
-- listAnalysisRequests: newest first per user, keyset pagination on (created_at, id), optional status/store filter.
CREATE INDEX analysis_requests_user_created_idx ON analysis_requests (user_id, created_at DESC, id DESC);
CREATE INDEX analysis_requests_user_status_idx ON analysis_requests (user_id, status, created_at DESC, id DESC);
CREATE INDEX analysis_requests_store_idx ON analysis_requests (store_id, created_at DESC, id DESC);
CREATE TRIGGER analysis_requests_updated_at BEFORE UPDATE ON analysis_requests
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE analysis_results (
    request_id       uuid PRIMARY KEY REFERENCES analysis_requests (id) ON DELETE CASCADE,
    summary          text NOT NULL,
    kpis             jsonb NOT NULL DEFAULT '[]',
    visualizations   jsonb NOT NULL DEFAULT '[]',
    recommendations  jsonb NOT NULL DEFAULT '[]',
    data_window_from timestamptz,
    data_window_to   timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (jsonb_typeof(kpis) = 'array' AND jsonb_typeof(visualizations) = 'array'
           AND jsonb_typeof(recommendations) = 'array'),
    CHECK (data_window_from IS NULL OR data_window_to IS NULL OR data_window_from <= data_window_to)
);

CREATE TABLE agent_tasks (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id      uuid NOT NULL REFERENCES analysis_requests (id) ON DELETE CASCADE,
    parent_id       uuid REFERENCES agent_tasks (id) ON DELETE CASCADE,
    agent_class     text NOT NULL CHECK (agent_class IN ('ORCHESTRATOR', 'DEPARTMENT', 'TOOL')),
    department      text,
    name            text NOT NULL,
    status          text NOT NULL DEFAULT 'PENDING'
                    CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'RETRYING', 'CANCELLED')),
    assigned_worker text,
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    error_count     integer NOT NULL DEFAULT 0 CHECK (error_count >= 0),
    input           jsonb NOT NULL DEFAULT '{}',
    output          jsonb,
    error           text,
    depends_on      uuid[] NOT NULL DEFAULT '{}',    -- sibling task ids that must succeed first
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz
);
CREATE INDEX agent_tasks_request_idx ON agent_tasks (request_id, created_at);
CREATE INDEX agent_tasks_parent_idx ON agent_tasks (parent_id);
CREATE INDEX agent_tasks_running_idx ON agent_tasks (status, updated_at) WHERE status IN ('RUNNING', 'RETRYING');
CREATE TRIGGER agent_tasks_updated_at BEFORE UPDATE ON agent_tasks FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE trace_spans (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id  uuid NOT NULL REFERENCES analysis_requests (id) ON DELETE CASCADE,
    span_id     text NOT NULL,
    parent_id   text,                                  -- span_id of the parent span
    name        text NOT NULL,
    kind        text NOT NULL,                         -- agent, tool, llm, shopify, db
    started_at  timestamptz NOT NULL,
    duration_ms double precision NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
    attributes  jsonb NOT NULL DEFAULT '{}',
    error       text,
    UNIQUE (request_id, span_id)
);
CREATE INDEX trace_spans_request_started_idx ON trace_spans (request_id, started_at);

-- ---------------------------------------------------------------- actions (human in the loop)

CREATE TABLE action_proposals (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id        uuid NOT NULL REFERENCES analysis_requests (id) ON DELETE CASCADE,
    recommendation_id text,
    store_id          uuid NOT NULL REFERENCES shopify_stores (id) ON DELETE CASCADE,
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              text NOT NULL CHECK (kind IN ('CREATE_DISCOUNT_CODE', 'UPDATE_PRODUCT_DESCRIPTION',
                                                    'UPDATE_PRODUCT_PRICE', 'ADJUST_INVENTORY',
                                                    'DRAFT_MARKETING_EMAIL')),
    status            text NOT NULL DEFAULT 'PENDING'
                      CHECK (status IN ('PENDING', 'APPROVED', 'EXECUTING', 'SUCCEEDED', 'FAILED', 'REJECTED',
                                        'EXPIRED')),
    title             text NOT NULL,
    description       text NOT NULL DEFAULT '',
    parameters        jsonb NOT NULL DEFAULT '{}',
    preview           jsonb NOT NULL DEFAULT '[]',
    required_scopes   text[] NOT NULL DEFAULT '{}',
    missing_scopes    text[] NOT NULL DEFAULT '{}',
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    decided_at        timestamptz,
    decision_reason   text,
    executed_at       timestamptz,
    outcome           jsonb,
    idempotency_key   text NOT NULL UNIQUE,            -- sent to Shopify so a retried execution is not doubled
    before_image      jsonb                            -- the store's values before execution (undo, audit)
);
CREATE INDEX action_proposals_request_idx ON action_proposals (request_id, created_at);
CREATE INDEX action_proposals_store_idx ON action_proposals (store_id);
CREATE INDEX action_proposals_user_idx ON action_proposals (user_id, created_at DESC);
CREATE INDEX action_proposals_pending_expiry_idx ON action_proposals (expires_at) WHERE status = 'PENDING';
CREATE TRIGGER action_proposals_updated_at BEFORE UPDATE ON action_proposals
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Append-only record of who did what. No foreign keys, so deleting users or requests never rewrites it.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,                         -- "user:<uuid>", "worker:<name>", "system"
    action      text NOT NULL,                         -- "action.approve", "store.link", ...
    subject     text,                                  -- "action_proposal:<uuid>", "store:<uuid>"
    request_id  uuid,
    params_hash text                                   -- SHA-256 of the parameters, not the parameters
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at);
CREATE INDEX audit_log_request_idx ON audit_log (request_id) WHERE request_id IS NOT NULL;

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- ---------------------------------------------------------------- messaging

-- Transactional outbox: rows written with the state change, published to RabbitMQ by a relay.
CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic        text NOT NULL,                        -- routing key
    payload      jsonb NOT NULL,
    headers      jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    available_at timestamptz NOT NULL DEFAULT now(),   -- retry backoff: not before
    sent_at      timestamptz,
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   text
);
CREATE INDEX outbox_unsent_idx ON outbox (available_at, id) WHERE sent_at IS NULL;

-- Idempotent consumers: a (consumer, message id) seen before is acknowledged without effect.
CREATE TABLE processed_messages (
    consumer     text NOT NULL,
    message_id   text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX processed_messages_processed_at_idx ON processed_messages (processed_at);

-- Shopify webhooks, deduplicated by X-Shopify-Webhook-Id.
CREATE TABLE webhook_deliveries (
    webhook_id   text PRIMARY KEY,
    topic        text NOT NULL,
    shop         text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz
);
CREATE INDEX webhook_deliveries_shop_idx ON webhook_deliveries (shop, received_at);
CREATE INDEX webhook_deliveries_unprocessed_idx ON webhook_deliveries (received_at) WHERE processed_at IS NULL;

-- Mandatory privacy webhooks (customers/data_request, customers/redact, shop/redact) and their handling.
CREATE TABLE privacy_requests (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind         text NOT NULL CHECK (kind IN ('customers/data_request', 'customers/redact', 'shop/redact')),
    shop_domain  text NOT NULL,
    store_id     uuid REFERENCES shopify_stores (id) ON DELETE SET NULL,
    webhook_id   text REFERENCES webhook_deliveries (webhook_id) ON DELETE SET NULL,
    payload      jsonb NOT NULL,
    status       text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
    received_at  timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    error        text
);
CREATE INDEX privacy_requests_store_idx ON privacy_requests (store_id);
CREATE INDEX privacy_requests_webhook_idx ON privacy_requests (webhook_id);
CREATE INDEX privacy_requests_pending_idx ON privacy_requests (received_at) WHERE status = 'PENDING';
CREATE INDEX privacy_requests_shop_idx ON privacy_requests (shop_domain, received_at);
