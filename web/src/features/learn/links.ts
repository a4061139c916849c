/** The app's page for a lesson link the API gives (`/api/v1/lessons/<slug>`), or null. */
export function lessonRoute(url: string | null | undefined): string | null {
  const match = url?.match(/\/lessons\/([a-z0-9-]+)$/);
  return match ? `/learn/${match[1]}` : null;
}

/** The app's page for a glossary link (`/api/v1/glossary/<slug>`), or null. */
export function glossaryRoute(url: string | null | undefined): string | null {
  const match = url?.match(/\/glossary\/([a-z0-9-]+)$/);
  return match ? `/learn/glossary#${match[1]}` : null;
}
