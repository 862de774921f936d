-- The product cache keeps Shopify's descriptionHtml, not the plain-text description: a description proposal's
-- before-image is the HTML the store holds, so approving it can check the product did not change meanwhile.
-- Rows cached before hold plain text until the product is synced again (such a proposal expires as stale).
ALTER TABLE shop_products RENAME COLUMN description TO description_html;
