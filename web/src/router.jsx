// A tiny History API router: the dashboard has a handful of flat routes, so a dependency would buy nothing.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';

const RouterContext = createContext(null);

export function matchRoute(pattern, path) {
    const p = pattern.split('/').filter(Boolean);
    const s = path.split('/').filter(Boolean);
    if (p.length !== s.length) return null;
    const params = {};
    for (let i = 0; i < p.length; ++i) {
        if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
        else if (p[i] !== s[i]) return null;
    }
    return params;
}

export function RouterProvider({ children, initialPath }) {
    const read = () => ({
        path: initialPath ?? window.location.pathname,
        search: initialPath ? '' : window.location.search,
    });
    const [location, setLocation] = useState(read);
    useEffect(() => {
        const onPop = () => setLocation({ path: window.location.pathname, search: window.location.search });
        window.addEventListener('popstate', onPop);
        return () => window.removeEventListener('popstate', onPop);
    }, []);
    const navigate = useCallback((to, { replace = false } = {}) => {
        const url = new URL(to, window.location.origin);
        if (replace) window.history.replaceState(null, '', url.pathname + url.search);
        else window.history.pushState(null, '', url.pathname + url.search);
        setLocation({ path: url.pathname, search: url.search });
        window.scrollTo?.(0, 0);
    }, []);
    const value = useMemo(() => ({ ...location, navigate }), [location, navigate]);
    return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter() {
    return useContext(RouterContext);
}

// Polaris renders links through this component (AppProvider linkComponent) so they navigate without a reload.
export function RouterLink({ children, url, external, ...rest }) {
    const router = useRouter();
    const onClick = (event) => {
        if (external || !router || event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        router.navigate(url);
    };
    return (
        <a href={url} onClick={onClick} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})} {...rest}>
            {children}
        </a>
    );
}
