// Remembers, per OAuth state, why the Shopify round trip was started ("link" a store or "login"), so the
// callback page knows which mutation to finish it with. Kept in sessionStorage: the redirect leaves the page.
const kPrefix = 'alatar.oauth.';

export function rememberOAuthIntent(state, intent, storage = window.sessionStorage) {
    storage.setItem(kPrefix + state, intent);
}

export function takeOAuthIntent(state, storage = window.sessionStorage) {
    const key = kPrefix + state;
    const intent = storage.getItem(key);
    storage.removeItem(key);
    return intent;
}

export function normaliseShopDomain(input) {
    const trimmed = input.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    return trimmed;
}
