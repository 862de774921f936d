// Sign up and log in with email and password, or "Log in with Shopify" (the OAuth round trip).
import { useState } from 'react';
import { Banner, BlockStack, Button, Card, Divider, Form, FormLayout, InlineStack, Link, Text, TextField } from '@shopify/polaris';
import { useMutation } from 'urql';
import { LoginMutation, RegisterMutation, StartShopifyOAuthMutation } from '../api/documents.js';
import { normaliseShopDomain, rememberOAuthIntent } from '../api/oauth.js';
import { useRouter } from '../router.jsx';
import { ErrorBanner } from '../components/States.jsx';

export function AuthPage({ session, mode }) {
    const router = useRouter();
    const register = mode === 'register';
    const [email, setEmail] = useState('');
    const [password, setPassword] = useState('');
    const [shop, setShop] = useState('');
    const [auth, runAuth] = useMutation(register ? RegisterMutation : LoginMutation);
    const [start, runStart] = useMutation(StartShopifyOAuthMutation);
    const expired = router.search.includes('expired=1');

    const submit = async () => {
        const res = await runAuth({ input: { email: email.trim(), password } });
        const payload = res.data?.[register ? 'register' : 'login'];
        if (payload) {
            session.set(payload);
            router.navigate(payload.user?.stores?.length ? '/' : '/stores', { replace: true });
        }
    };
    const shopifyLogin = async () => {
        const res = await runStart({ shop: normaliseShopDomain(shop) });
        const payload = res.data?.startShopifyOAuth;
        if (payload) {
            rememberOAuthIntent(payload.state, 'login');
            window.location.assign(payload.authorizationUrl);
        }
    };

    return (
        <main className="alatar-auth">
            <BlockStack gap="400">
                <Text as="h1" variant="headingXl">Alatar</Text>
                {expired && <Banner tone="warning" title="Your session has ended">Log in again to continue.</Banner>}
                <Card>
                    <Form onSubmit={submit}>
                        <FormLayout>
                            <Text as="h2" variant="headingLg">{register ? 'Create your account' : 'Log in'}</Text>
                            <ErrorBanner error={auth.error} title={register ? 'Could not create the account' : 'Could not log in'} />
                            <TextField label="Email" type="email" autoComplete="email" value={email} onChange={setEmail} requiredIndicator />
                            <TextField
                                label="Password"
                                type="password"
                                autoComplete={register ? 'new-password' : 'current-password'}
                                value={password}
                                onChange={setPassword}
                                helpText={register ? 'At least 12 characters.' : undefined}
                                requiredIndicator
                            />
                            <Button submit variant="primary" loading={auth.fetching} disabled={!email || !password}>
                                {register ? 'Create account' : 'Log in'}
                            </Button>
                            <Text as="p">
                                {register ? 'Already have an account? ' : 'New to Alatar? '}
                                <Link url={register ? '/login' : '/register'}>{register ? 'Log in' : 'Create an account'}</Link>
                            </Text>
                        </FormLayout>
                    </Form>
                </Card>
                <Card>
                    <Form onSubmit={shopifyLogin}>
                        <BlockStack gap="300">
                            <Divider />
                            <ErrorBanner error={start.error} title="Could not start Shopify login" />
                            <TextField label="Shop domain" placeholder="your-shop.myshopify.com" value={shop} onChange={setShop} autoComplete="off" />
                            <InlineStack>
                                <Button submit loading={start.fetching} disabled={!shop.trim()}>Log in with Shopify</Button>
                            </InlineStack>
                        </BlockStack>
                    </Form>
                </Card>
            </BlockStack>
        </main>
    );
}
