import { createRoot } from 'react-dom/client';
import '@shopify/polaris/build/esm/styles.css';
import './app.css';
import { App } from './App.jsx';
import { Session } from './api/session.js';

createRoot(document.getElementById('root')).render(<App session={new Session()} />);
