import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import en from './en';

export const LANGUAGES = { en: 'English', es: 'Español' } as const;
export type Language = keyof typeof LANGUAGES;

const isLanguage = (value: string | null | undefined): value is Language => !!value && value in LANGUAGES;

/** Switch language; Spanish strings are fetched the first time (English ships with the app). */
export async function changeLanguage(language: Language): Promise<void> {
  if (language === 'es' && !i18n.hasResourceBundle('es', 'translation')) {
    i18n.addResourceBundle('es', 'translation', (await import('./es')).default);
  }
  await i18n.changeLanguage(language);
  document.documentElement.lang = language;
  localStorage.setItem('keel.language', language);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  showSupportNotice: false,
});

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('keel.language') : null;
const browser = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'en';
const wanted = isLanguage(stored) ? stored : isLanguage(browser) ? browser : 'en';
if (wanted !== 'en') void changeLanguage(wanted);
else if (typeof document !== 'undefined') document.documentElement.lang = 'en';

export default i18n;
