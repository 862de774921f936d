// Renders one Vega-Lite specification with vega-embed. The API's Content-Security-Policy forbids eval, so
// expressions run through vega-interpreter (ast: true) instead of Vega's default code generation.
import { useEffect, useRef, useState } from 'react';
import { ErrorBanner } from './States.jsx';

async function defaultEmbed(element, spec) {
    const [{ default: embed }, { expressionInterpreter }] = await Promise.all([import('vega-embed'), import('vega-interpreter')]);
    return embed(element, spec, {
        actions: false,
        renderer: 'svg',
        ast: true,
        expr: expressionInterpreter,
        config: { autosize: { type: 'fit-x', contains: 'padding' } },
    });
}

export function VegaChart({ spec, title, embed = defaultEmbed }) {
    const ref = useRef(null);
    const [state, setState] = useState('loading');
    useEffect(() => {
        let result;
        let cancelled = false;
        setState('loading');
        const full = { width: 'container', ...(typeof spec === 'string' ? JSON.parse(spec) : spec) };
        embed(ref.current, full)
            .then((r) => {
                result = r;
                if (cancelled) r?.finalize?.();
                else setState('ready');
            })
            .catch((e) => !cancelled && setState(e));
        return () => {
            cancelled = true;
            result?.finalize?.();
        };
    }, [spec, embed]);
    return (
        <figure style={{ margin: 0 }} aria-label={title} data-chart-state={typeof state === 'string' ? state : 'error'}>
            {state instanceof Error || (typeof state === 'object' && state) ? (
                <ErrorBanner error={`The chart could not be drawn: ${state.message ?? state}`} title="Chart unavailable" />
            ) : null}
            <div ref={ref} className="alatar-chart" role="img" aria-label={title} />
        </figure>
    );
}
