// The shell: Polaris AppProvider and Frame (top bar, navigation), the GraphQL client bound to the session, routes.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppProvider, Frame, Navigation, TopBar } from '@shopify/polaris';
import { ClockIcon, HomeIcon, SettingsIcon, StoreIcon } from '@shopify/polaris-icons';
import en from '@shopify/polaris/locales/en.json';
import { Provider as UrqlProvider } from 'urql';
import { createAlatarClient } from './api/client.js';
import { LogoutMutation } from './api/documents.js';
import { RouterLink, RouterProvider, matchRoute, useRouter } from './router.jsx';
import { AuthPage } from './screens/AuthPage.jsx';
import { AskPage } from './screens/AskPage.jsx';
import { StoresPage } from './screens/StoresPage.jsx';
import { OAuthCallbackPage } from './screens/OAuthCallbackPage.jsx';
import { RequestPage } from './screens/RequestPage.jsx';
import { HistoryPage } from './screens/HistoryPage.jsx';
import { SettingsPage } from './screens/SettingsPage.jsx';
import { TracePage } from './screens/TracePage.jsx';

// The wordmark in the top bar, inline so it needs no extra request (CSP allows data: images).
const kLogo = {
    topBarSource:
        'data:image/svg+xml,' +
        encodeURIComponent(
            '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="24"><text x="0" y="18" font-family="system-ui,sans-serif" font-size="18" font-weight="700" fill="#fff">Alatar</text></svg>',
        ),
    width: 96,
    url: '/',
    accessibilityLabel: 'Alatar',
};

const kPublicRoutes = ['/login', '/register', '/auth/shopify/callback'];

export function App({ session, initialPath, clientFactory = createAlatarClient }) {
    return (
        <AppProvider i18n={en} linkComponent={RouterLink}>
            <RouterProvider initialPath={initialPath}>
                <SessionShell session={session} clientFactory={clientFactory} />
            </RouterProvider>
        </AppProvider>
    );
}

function SessionShell({ session, clientFactory }) {
    const router = useRouter();
    const [token, setToken] = useState(() => session.token());
    useEffect(() => session.subscribe((s) => setToken(s ? s.token : null)), [session]);

    const onUnauthenticated = useCallback(() => {
        router.navigate('/login?expired=1', { replace: true });
    }, [router.navigate]);
    // A fresh client per token: no cached data or open WebSocket outlives a session.
    const client = useMemo(() => clientFactory({ session, onUnauthenticated }), [token, session, clientFactory]);
    useEffect(() => () => client.dispose?.(), [client]);

    const isPublic = kPublicRoutes.includes(router.path);
    useEffect(() => {
        if (!token && !isPublic) router.navigate('/login', { replace: true });
    }, [token, isPublic]);

    return (
        <UrqlProvider value={client}>
            {isPublic ? <PublicRoutes session={session} /> : token ? <SignedIn session={session} client={client} /> : null}
        </UrqlProvider>
    );
}

function PublicRoutes({ session }) {
    const { path } = useRouter();
    if (path === '/auth/shopify/callback') return <OAuthCallbackPage session={session} />;
    return <AuthPage session={session} mode={path === '/register' ? 'register' : 'login'} />;
}

function SignedIn({ session, client }) {
    const router = useRouter();
    const [navOpen, setNavOpen] = useState(false);
    const [menuOpen, setMenuOpen] = useState(false);
    const user = session.user();

    const logout = async () => {
        await client.mutation(LogoutMutation, {}).toPromise().catch(() => undefined);
        session.clear();
        router.navigate('/login', { replace: true });
    };

    const userMenu = (
        <TopBar.UserMenu
            name={user?.email ?? 'Account'}
            initials={(user?.email ?? 'A').slice(0, 1).toUpperCase()}
            open={menuOpen}
            onToggle={() => setMenuOpen((v) => !v)}
            actions={[{ items: [{ content: 'Settings', url: '/settings' }, { content: 'Log out', onAction: logout }] }]}
        />
    );
    const topBar = <TopBar showNavigationToggle userMenu={userMenu} onNavigationToggle={() => setNavOpen((v) => !v)} />;
    const nav = (
        <Navigation location={router.path} onDismiss={() => setNavOpen(false)}>
            <Navigation.Section
                items={[
                    { url: '/', label: 'Ask', icon: HomeIcon, exactMatch: true, onClick: () => setNavOpen(false) },
                    { url: '/history', label: 'History', icon: ClockIcon, onClick: () => setNavOpen(false) },
                    { url: '/stores', label: 'Stores', icon: StoreIcon, onClick: () => setNavOpen(false) },
                    { url: '/settings', label: 'Settings', icon: SettingsIcon, onClick: () => setNavOpen(false) },
                ]}
            />
        </Navigation>
    );
    return (
        <Frame
            logo={kLogo}
            topBar={topBar}
            navigation={nav}
            showMobileNavigation={navOpen}
            onNavigationDismiss={() => setNavOpen(false)}
        >
            <SignedInRoutes />
        </Frame>
    );
}

function SignedInRoutes() {
    const { path } = useRouter();
    let params;
    if (path === '/' || path === '/ask') return <AskPage />;
    if (path === '/stores') return <StoresPage />;
    if (path === '/history') return <HistoryPage />;
    if (path === '/settings') return <SettingsPage />;
    if ((params = matchRoute('/requests/:id/trace', path))) return <TracePage id={params.id} />;
    if ((params = matchRoute('/requests/:id', path))) return <RequestPage id={params.id} />;
    return <AskPage />;
}

