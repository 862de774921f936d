// Where Shopify sends the merchant back: finishes the round trip with the whole query string.
import { useEffect, useRef, useState } from 'react';
import { Button, Page } from '@shopify/polaris';
import { useMutation } from 'urql';
import { CompleteShopifyOAuthMutation, LoginWithShopifyMutation } from '../api/documents.js';
import { takeOAuthIntent } from '../api/oauth.js';
import { useRouter } from '../router.jsx';
import { ErrorBanner, LoadingCard } from '../components/States.jsx';

export function OAuthCallbackPage({ session }) {
    const router = useRouter();
    const [, complete] = useMutation(CompleteShopifyOAuthMutation);
    const [, loginWithShopify] = useMutation(LoginWithShopifyMutation);
    const [error, setError] = useState(null);
    const started = useRef(false);

    useEffect(() => {
        if (started.current) return;
        started.current = true;
        const query = router.search.replace(/^\?/, '');
        const state = new URLSearchParams(query).get('state') ?? '';
        const intent = takeOAuthIntent(state) ?? (session.token() ? 'link' : 'login');
        (async () => {
            if (intent === 'login') {
                const res = await loginWithShopify({ input: { query } });
                if (res.error) return setError(res.error);
                session.set(res.data.loginWithShopify);
                router.navigate('/', { replace: true });
            } else {
                const res = await complete({ input: { query } });
                if (res.error) return setError(res.error);
                router.navigate('/stores?linked=' + encodeURIComponent(res.data.completeShopifyOAuth.shopDomain), { replace: true });
            }
        })();
    }, []);

    return (
        <Page title="Connecting to Shopify" narrowWidth>
            {error ? (
                <>
                    <ErrorBanner error={error} title="Shopify did not finish connecting" />
                    <div style={{ marginTop: '1rem' }}>
                        <Button url={session.token() ? '/stores' : '/login'}>Back</Button>
                    </div>
                </>
            ) : (
                <LoadingCard label="Finishing the Shopify connection" />
            )}
        </Page>
    );
}
