// Ask: a prompt box with example questions; submitting opens the request's live progress.
import { useState } from 'react';
import { BlockStack, Button, Card, Form, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from '@shopify/polaris';
import { useMutation, useQuery } from 'urql';
import { MeQuery, SubmitAnalysisMutation } from '../api/documents.js';
import { useRouter } from '../router.jsx';
import { EmptyCard, ErrorBanner, LoadingCard } from '../components/States.jsx';

export const kExampleQuestions = [
    'Why did sales drop last week?',
    'Which products should I restock before the weekend?',
    'How did my discount codes perform this month?',
    'Which customers are likely to churn?',
];

export function AskPage() {
    const router = useRouter();
    const [me] = useQuery({ query: MeQuery });
    const [submit, runSubmit] = useMutation(SubmitAnalysisMutation);
    const [prompt, setPrompt] = useState('');
    const [storeId, setStoreId] = useState('');
    const stores = (me.data?.me?.stores ?? []).filter((s) => s.status === 'ACTIVE');
    const chosenStore = storeId || stores[0]?.id || '';

    const ask = async () => {
        const text = prompt.trim();
        if (!text) return;
        const res = await runSubmit({ prompt: text, storeId: chosenStore || null });
        const id = res.data?.submitAnalysisRequest?.id;
        if (id) router.navigate(`/requests/${encodeURIComponent(id)}`);
    };

    let body;
    if (me.fetching && !me.data) body = <LoadingCard label="Loading your stores" />;
    else if (me.error) body = <ErrorBanner error={me.error} title="Could not load your account" />;
    else if (stores.length === 0)
        body = (
            <EmptyCard heading="Link a store first" action={{ content: 'Link a store', url: '/stores' }}>
                <p>Alatar answers questions about your Shopify store's data.</p>
            </EmptyCard>
        );
    else
        body = (
            <Card>
                <Form onSubmit={ask}>
                    <FormLayout>
                        <ErrorBanner error={submit.error} title="Could not send your question" />
                        {stores.length > 1 && (
                            <Select
                                label="Store"
                                options={stores.map((s) => ({ label: s.name ?? s.shopDomain, value: s.id }))}
                                value={chosenStore}
                                onChange={setStoreId}
                            />
                        )}
                        <TextField
                            label="Your question"
                            value={prompt}
                            onChange={setPrompt}
                            multiline={3}
                            maxLength={2000}
                            autoComplete="off"
                            placeholder="Ask about sales, products, customers, inventory or marketing"
                        />
                        <InlineStack align="end">
                            <Button submit variant="primary" loading={submit.fetching} disabled={!prompt.trim()}>Ask</Button>
                        </InlineStack>
                    </FormLayout>
                </Form>
            </Card>
        );

    return (
        <Page title="Ask Alatar">
            <Layout>
                <Layout.Section>{body}</Layout.Section>
                {stores.length > 0 && (
                    <Layout.Section>
                        <Card>
                            <BlockStack gap="200">
                                <Text as="h2" variant="headingSm">Examples</Text>
                                <InlineStack gap="200" wrap>
                                    {kExampleQuestions.map((q) => (
                                        <Button key={q} onClick={() => setPrompt(q)} variant="secondary">{q}</Button>
                                    ))}
                                </InlineStack>
                            </BlockStack>
                        </Card>
                    </Layout.Section>
                )}
            </Layout>
        </Page>
    );
}
