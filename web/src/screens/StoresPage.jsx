// Link a store (the OAuth round trip) and see the stores already linked.
import { useState } from 'react';
import { Badge, Banner, BlockStack, Button, Card, Form, FormLayout, Layout, Page, ResourceItem, ResourceList, Text, TextField } from '@shopify/polaris';
import { useMutation, useQuery } from 'urql';
import { MeQuery, StartShopifyOAuthMutation } from '../api/documents.js';
import { normaliseShopDomain, rememberOAuthIntent } from '../api/oauth.js';
import { useRouter } from '../router.jsx';
import { EmptyCard, ErrorBanner, LoadingCard } from '../components/States.jsx';

const kStatusTone = { ACTIVE: 'success', UNINSTALLED: 'critical', TOKEN_REVOKED: 'warning' };

export function StoresPage() {
    const router = useRouter();
    const [{ data, fetching, error }, refetch] = useQuery({ query: MeQuery });
    const [start, runStart] = useMutation(StartShopifyOAuthMutation);
    const [shop, setShop] = useState('');
    const linked = new URLSearchParams(router.search).get('linked');

    const link = async () => {
        const res = await runStart({ shop: normaliseShopDomain(shop) });
        const payload = res.data?.startShopifyOAuth;
        if (payload) {
            rememberOAuthIntent(payload.state, 'link');
            window.location.assign(payload.authorizationUrl);
        }
    };
    const stores = data?.me?.stores ?? [];

    return (
        <Page title="Stores" subtitle="Link a Shopify store so Alatar can read its data and, with your approval, act on it.">
            <Layout>
                {linked && (
                    <Layout.Section>
                        <Banner tone="success" title={`${linked} is linked`} action={{ content: 'Ask a question', url: '/' }} />
                    </Layout.Section>
                )}
                <Layout.Section>
                    <Card>
                        <Form onSubmit={link}>
                            <FormLayout>
                                <Text as="h2" variant="headingMd">Link a store</Text>
                                <ErrorBanner error={start.error} title="Could not start linking" />
                                <TextField
                                    label="Shop domain"
                                    placeholder="your-shop.myshopify.com"
                                    value={shop}
                                    onChange={setShop}
                                    autoComplete="off"
                                    helpText="You will be sent to Shopify to approve access, then brought back here."
                                />
                                <Button submit variant="primary" loading={start.fetching} disabled={!shop.trim()}>Link store</Button>
                            </FormLayout>
                        </Form>
                    </Card>
                </Layout.Section>
                <Layout.Section>
                    {fetching && !data ? (
                        <LoadingCard label="Loading your stores" />
                    ) : error ? (
                        <ErrorBanner error={error} title="Could not load your stores" onRetry={() => refetch({ requestPolicy: 'network-only' })} />
                    ) : stores.length === 0 ? (
                        <EmptyCard heading="No stores linked yet">
                            <p>Link your Shopify store above to start asking questions about it.</p>
                        </EmptyCard>
                    ) : (
                        <Card padding="0">
                            <ResourceList
                                resourceName={{ singular: 'store', plural: 'stores' }}
                                items={stores}
                                renderItem={(s) => (
                                    <ResourceItem id={s.id} accessibilityLabel={`Store ${s.shopDomain}`} onClick={() => {}}>
                                        <BlockStack gap="100">
                                            <Text as="h3" variant="bodyMd" fontWeight="semibold">{s.name ?? s.shopDomain}</Text>
                                            <Text as="p" tone="subdued">{s.shopDomain}</Text>
                                            <div><Badge tone={kStatusTone[s.status]}>{s.status.replace('_', ' ').toLowerCase()}</Badge></div>
                                        </BlockStack>
                                    </ResourceItem>
                                )}
                            />
                        </Card>
                    )}
                </Layout.Section>
            </Layout>
        </Page>
    );
}
