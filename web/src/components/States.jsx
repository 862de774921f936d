// The loading, empty and error states every screen shows.
import { Banner, BlockStack, Card, EmptyState, InlineStack, SkeletonBodyText, SkeletonDisplayText, Spinner, Text } from '@shopify/polaris';

export function LoadingCard({ label = 'Loading' }) {
    return (
        <Card>
            <BlockStack gap="300">
                <InlineStack gap="200" blockAlign="center">
                    <Spinner size="small" accessibilityLabel={label} />
                    <Text as="span" tone="subdued">{label}…</Text>
                </InlineStack>
                <SkeletonDisplayText size="small" />
                <SkeletonBodyText lines={3} />
            </BlockStack>
        </Card>
    );
}

export function errorMessage(error) {
    if (!error) return '';
    const gqlErrors = error.graphQLErrors ?? [];
    if (gqlErrors.length) return gqlErrors.map((e) => e.message).join('; ');
    if (error.networkError) return 'Cannot reach the Alatar server. Check your connection and try again.';
    return error.message ?? String(error);
}

export function ErrorBanner({ error, title = 'Something went wrong', onRetry }) {
    if (!error) return null;
    return (
        <Banner tone="critical" title={title} action={onRetry ? { content: 'Try again', onAction: onRetry } : undefined}>
            <p>{typeof error === 'string' ? error : errorMessage(error)}</p>
        </Banner>
    );
}

export function EmptyCard({ heading, children, action }) {
    return (
        <Card>
            <EmptyState heading={heading} action={action} image="">
                {children}
            </EmptyState>
        </Card>
    );
}
