// The frame every page shares: a skip link, the header with the site name and the language
// switch, and the page's <main>.
import { h, live, liveAttr } from './dom.ts';
import { lang, onLangChange, setLang, t, type UiKey } from './i18n.ts';

export function pageFrame(titleKey: UiKey): HTMLElement {
  const main = document.getElementById('main') ?? h('main', { id: 'main' });
  main.setAttribute('tabindex', '-1');
  main.replaceChildren();

  const toggle = h(
    'button',
    { type: 'button', class: 'lang-toggle', id: 'lang-toggle' },
    live(() => t('switchLang')),
  );
  liveAttr(toggle, 'lang', () => (lang() === 'zh' ? 'en' : 'zh-CN'));
  liveAttr(toggle, 'aria-label', () => t('switchLangLabel'));
  toggle.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));

  const header = h(
    'header',
    { class: 'site-header' },
    h(
      'a',
      { class: 'skip-link', href: '#main' },
      live(() => (lang() === 'zh' ? '跳到主要内容' : 'Skip to content')),
    ),
    h(
      'div',
      { class: 'site-header-inner' },
      h(
        'p',
        { class: 'site-name' },
        live(() => t('siteName')),
      ),
      toggle,
    ),
  );
  document.body.prepend(header);
  if (!main.isConnected) document.body.append(main);

  const setTitle = () => {
    document.title = `${t(titleKey)} – ${t('siteName')}`;
  };
  setTitle();
  onLangChange(setTitle);
  return main;
}
