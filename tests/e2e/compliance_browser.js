// Renders compliance pages in Debian's chromium (driven by playwright-core, headless) and
// checks what a withheld viewer reads, per language; and that the page loads nothing but
// itself. usage: node compliance_browser.js PLAYWRIGHT_DIR BASE_URL
// Prints "ok NAME" or "FAIL NAME: why" per check; exits 1 on any failure.
const { launch, check, failed } = require('./browser_lib');
const base = process.argv[3];

(async () => {
    const browser = await launch(process.argv[2]);
    const page = await browser.newPage();
    const foreign = [];
    page.on('request', r => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
    const text = async (lang, sel) =>
        (await page.locator(`section[lang="${lang}"] ${sel}`).first().textContent()).trim();

    // A content withheld in Malaysia under a notice: Malay first, then English.
    let resp = await page.goto(`${base}/compliance/MY?content=post-1`);
    check('MY page answers', resp.status() === 200, resp.status());
    check('MY document language', await page.getAttribute('html', 'lang') === 'ms', 'not ms');
    check('MY title in Malay', (await page.title()) === 'Kandungan tidak tersedia di negara anda',
          await page.title());
    check('MY status in Malay',
          (await text('ms', '.status')) === 'Kandungan ini telah disekat untuk penonton di Malaysia.',
          await text('ms', '.status'));
    check('MY status in English',
          (await text('en', '.status')) === 'This content has been withheld for viewers in Malaysia.',
          await text('en', '.status'));
    check('MY cites the law', (await text('en', '.legal')).startsWith('MCMC notice to service providers'),
          await text('en', '.legal'));
    check('MY reason', (await text('ms', '.reason')) === 'regulator_notice', await text('ms', '.reason'));
    check('MY appeal link', await page.locator('section[lang="ms"] a[href="/appeal"]').count() === 1,
          'no appeal link');
    check('MY report link', await page.locator('section[lang="en"] a[href="/report"]').count() === 1,
          'no report link');

    // Indonesia, Vietnam: their languages.
    await page.goto(`${base}/compliance/ID?content=post-1`);
    check('ID in Indonesian', (await text('id', 'h1')) === 'Konten tidak tersedia di negara Anda',
          await text('id', 'h1'));
    check('ID not restricted there', (await text('id', '.status')) ===
          'Tidak ada pembatasan atas konten ini di Indonesia.', await text('id', '.status'));
    await page.goto(`${base}/compliance/VN`);
    check('VN blocked whole, in Vietnamese', (await text('vi', '.status')) ===
          'Dịch vụ này không khả dụng tại Vietnam.', await text('vi', '.status'));
    check('VN cites the decree', (await text('vi', '.legal')).startsWith('Decree 147/2024/ND-CP'),
          await text('vi', '.legal'));
    check('VN also in English', await page.locator('section[lang="en"]').count() === 1, 'no en');

    // A country the policy does not name: English, the default jurisdiction's terms.
    await page.goto(`${base}/compliance/fr?content=post-1`);
    check('FR in English', await page.getAttribute('html', 'lang') === 'en', 'not en');
    check('FR one section', await page.locator('section').count() === 1, 'more than one');

    // Escaping: a content id with markup stays text.
    await page.goto(`${base}/compliance/MY?content=${encodeURIComponent('<b>x</b>')}`);
    check('no injected markup', await page.locator('b').count() === 0, 'markup injected');

    check('nothing loaded from elsewhere', foreign.length === 0, foreign.join(' '));
    await browser.close();
    process.exit(failed() ? 1 : 0);
})().catch(e => { console.log(`FAIL browser: ${e.message}`); process.exit(1); });
