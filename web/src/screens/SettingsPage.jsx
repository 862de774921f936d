// Settings: the language model and the timezone reports use.
import { useEffect, useState } from 'react';
import { Banner, Button, Card, Form, FormLayout, Page, Select } from '@shopify/polaris';
import { useMutation, useQuery } from 'urql';
import { SettingsQuery, UpdatePreferencesMutation } from '../api/documents.js';
import { ErrorBanner, LoadingCard } from '../components/States.jsx';

export function timezones() {
    try {
        const all = Intl.supportedValuesOf?.('timeZone');
        if (all?.length) return all.includes('UTC') ? all : ['UTC', ...all];
    } catch {
        // Older engines: a short list below.
    }
    return ['UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Sydney'];
}

export function SettingsPage() {
    const [{ data, fetching, error }, refetch] = useQuery({ query: SettingsQuery });
    const [save, runSave] = useMutation(UpdatePreferencesMutation);
    const [model, setModel] = useState('');
    const [timezone, setTimezone] = useState('');
    const [saved, setSaved] = useState(false);
    const prefs = data?.me?.preferences;
    useEffect(() => {
        if (prefs) {
            setModel(prefs.llmModel);
            setTimezone(prefs.timezone);
        }
    }, [prefs?.llmModel, prefs?.timezone]);

    const submit = async () => {
        setSaved(false);
        const res = await runSave({ input: { llmModel: model, timezone } });
        if (!res.error) setSaved(true);
    };

    let body;
    if (fetching && !data) body = <LoadingCard label="Loading your settings" />;
    else if (error) body = <ErrorBanner error={error} title="Could not load your settings" onRetry={() => refetch({ requestPolicy: 'network-only' })} />;
    else {
        const models = data?.availableModels ?? [];
        const zones = timezones();
        body = (
            <Card>
                <Form onSubmit={submit}>
                    <FormLayout>
                        {saved && <Banner tone="success" title="Settings saved" onDismiss={() => setSaved(false)} />}
                        <ErrorBanner error={save.error} title="Could not save" />
                        <Select
                            label="Model"
                            helpText={models.length === 0 ? 'No models are available right now.' : 'Used for planning and writing findings.'}
                            options={models.map((m) => ({ label: m.free && !/free/i.test(m.name) ? `${m.name} (free)` : m.name, value: m.id }))}
                            value={model}
                            onChange={setModel}
                            disabled={models.length === 0}
                        />
                        <Select
                            label="Timezone"
                            helpText="Days and weeks in reports start at midnight here."
                            options={(zones.includes(timezone) || !timezone ? zones : [timezone, ...zones]).map((z) => ({ label: z, value: z }))}
                            value={timezone}
                            onChange={setTimezone}
                        />
                        <Button submit variant="primary" loading={save.fetching}>Save</Button>
                    </FormLayout>
                </Form>
            </Card>
        );
    }
    return <Page title="Settings" narrowWidth>{body}</Page>;
}
