import { lazy, useEffect, useRef, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';

import Layout from './app/Layout';
import { useSignedIn } from './app/session';
import { getLive } from './live';

const page = (load: () => Promise<{ default: () => ReactNode }>) => lazy(load);
const LoginPage = page(() => import('./features/auth/LoginPage'));
const RegisterPage = page(() => import('./features/auth/RegisterPage'));
const DashboardPage = page(() => import('./features/dashboard/DashboardPage'));
const MarketsPage = page(() => import('./features/markets/MarketsPage'));
const InstrumentPage = page(() => import('./features/markets/InstrumentPage'));
const TradePage = page(() => import('./features/trade/TradePage'));
const OrdersPage = page(() => import('./features/orders/OrdersPage'));
const RiskPage = page(() => import('./features/risk/RiskPage'));
const GuardianPage = page(() => import('./features/guardian/GuardianPage'));
const BacktestsPage = page(() => import('./features/backtests/BacktestsPage'));
const BacktestPage = page(() => import('./features/backtests/BacktestPage'));
const SettingsPage = page(() => import('./features/settings/SettingsPage'));
const AdminPage = page(() => import('./features/admin/AdminPage'));
const AdminFlagsPage = page(() => import('./features/admin/AdminFlagsPage'));
const AdminFeedbackPage = page(() => import('./features/admin/AdminFeedbackPage'));
const SignalsPage = page(() => import('./features/signals/SignalsPage'));
const LearnPage = page(() => import('./features/learn/LearnPage'));
const LessonPage = page(() => import('./features/learn/LessonPage'));
const GlossaryPage = page(() => import('./features/learn/GlossaryPage'));
const ClassesPage = page(() => import('./features/classes/ClassesPage'));
const ClassPage = page(() => import('./features/classes/ClassPage'));
const StudentPage = page(() => import('./features/classes/StudentPage'));
const NotFoundPage = page(() => import('./features/NotFoundPage'));

function RequireSession({ children }: { children: ReactNode }) {
  const signedIn = useSignedIn();
  const location = useLocation();
  const hadSession = useRef(signedIn);
  useEffect(() => {
    const live = getLive();
    if (signedIn) live.start();
    else live.stop();
    if (signedIn) hadSession.current = true;
  }, [signedIn]);
  if (!signedIn) {
    // A deep link opened while signed out comes back after sign-in; a page left by signing out
    // does not (the next person to sign in on this computer starts at their own dashboard).
    const from = hadSession.current ? undefined : location.pathname + location.search;
    return <Navigate to="/login" replace state={from ? { from } : null} />;
  }
  return children;
}

export default function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route
          element={
            <RequireSession>
              <Layout />
            </RequireSession>
          }
        >
          <Route index element={<DashboardPage />} />
          <Route path="markets" element={<MarketsPage />} />
          <Route path="markets/:symbol" element={<InstrumentPage />} />
          <Route path="trade" element={<TradePage />} />
          <Route path="orders" element={<OrdersPage />} />
          <Route path="risk" element={<RiskPage />} />
          <Route path="guardian" element={<GuardianPage />} />
          <Route path="backtests" element={<BacktestsPage />} />
          <Route path="backtests/:runId" element={<BacktestPage />} />
          <Route path="learn" element={<LearnPage />} />
          <Route path="learn/glossary" element={<GlossaryPage />} />
          <Route path="learn/:slug" element={<LessonPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="signals" element={<SignalsPage />} />
          <Route path="admin" element={<AdminPage />} />
          <Route path="classes" element={<ClassesPage />} />
          <Route path="classes/:classId" element={<ClassPage />} />
          <Route path="classes/:classId/students/:userId" element={<StudentPage />} />
          <Route path="admin/flags" element={<AdminFlagsPage />} />
          <Route path="admin/feedback" element={<AdminFeedbackPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
