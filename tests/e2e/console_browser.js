// The console in Debian's chromium (playwright-core, headless): a moderator signs in, sees
// the team queue count down, claims, reveals the blurred media, decides, and the content's
// visibility changes; a regulator files a notice and watches it complete, then withdraws
// one. Screenshots are taken and checked (valid PNGs of the viewport's size; blurred, revealed
// and colour media differ). Nothing may load from elsewhere, and the page may log no errors
// (CSP included).
// usage: node console_browser.js PLAYWRIGHT_DIR BASE_URL SHOTS_DIR MODERATOR REGULATOR PLATFORM ADMIN
// Prints "ok NAME" or "FAIL NAME: why" per check; exits 1 on any failure.
const fs = require('fs');
const { launch, check, failed } = require('./browser_lib');
const [base, shots, moderator, regulator, platform, admin] = process.argv.slice(3);

async function api(key, method, p, body) {
    const opts = { method, headers: { Authorization: `Bearer ${key}` } };
    if (body) {
        opts.headers['Content-Type'] = 'application/json';
        opts.body = JSON.stringify(body);
    }
    const resp = await fetch(base + p, opts);
    return { status: resp.status, data: await resp.json() };
}

// The width and height of a PNG file, or null when it is not one.
function pngSize(file) {
    const b = fs.readFileSync(file);
    const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    if (b.length < 24 || !sig.every((v, i) => b[i] === v) || b.toString('ascii', 12, 16) !== 'IHDR')
        return null;
    return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

async function visibility(content, country) {
    const r = await api(platform, 'GET', `/v1/visibility?content_id=${content}&country=${country}`);
    return r.data.visibility;
}

(async () => {
    const browser = await launch(process.argv[2]);
    const viewport = { width: 1280, height: 900 };
    const foreign = [], errors = [];
    const watch = page => {
        page.on('request', r => {
            /* blob: URLs of this origin are the renditions the console fetched from here. */
            if (!r.url().startsWith(base) && !r.url().startsWith(`blob:${base}`))
                foreign.push(r.url());
        });
        page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', e => errors.push(e.message));
    };

    // The moderator.
    const mod = await (await browser.newContext({ viewport })).newPage();
    watch(mod);
    await mod.goto(`${base}/console/`);
    check('sign-in form', await mod.isVisible('#signin-form'), 'not shown');
    await mod.fill('#key', 'jaga_000000000000_' + '0'.repeat(48));
    await mod.click('#signin-form button');
    await mod.waitForFunction(() => document.querySelector('#signin-error').textContent !== '');
    check('a wrong key is refused', (await mod.textContent('#signin-error')).includes('not valid'),
          await mod.textContent('#signin-error'));
    errors.length = 0; /* the browser logs that 401 */
    await mod.fill('#key', moderator);
    await mod.click('#signin-form button');
    await mod.waitForSelector('#queue-table tbody tr');
    check('the team queue', await mod.locator('#queue-table tbody tr').count() === 1,
          await mod.locator('#queue-table tbody tr').count());
    const cell = '#queue-table tbody tr td:nth-child(2)';
    const due1 = await mod.textContent(cell);
    /* It ticks every second (later under load): wait for the next one. */
    await mod.waitForFunction(([sel, was]) => document.querySelector(sel).textContent !== was,
                              [cell, due1], { timeout: 10000 }).catch(() => {});
    const due2 = await mod.textContent(cell);
    check('the deadline counts down', /^(overdue )?\d+m \d\ds$/.test(due1) && due1 !== due2,
          `${due1} then ${due2}`);
    await mod.screenshot({ path: `${shots}/queue.png` });

    await mod.keyboard.press('n');
    await mod.waitForSelector('#case:not([hidden])');
    check('claimed with n', (await mod.textContent('#case-title')).includes('post-1'),
          await mod.textContent('#case-title'));
    await mod.waitForFunction(() => document.querySelector('#media').naturalWidth > 0);
    const filter = () => mod.$eval('#media', e => getComputedStyle(e).filter);
    const source = () => mod.$eval('#media', e => e.src);
    check('jaga\'s blurred rendition by default', (await source()).startsWith('blob:'),
          await source());
    /* The rendition as drawn: the largest step between neighbouring pixels (the sample's
     * stripes and edges are 255 apart in the original). */
    const step = await mod.$eval('#media', img => {
      const c = document.createElement('canvas');
      c.width = img.naturalWidth, c.height = img.naturalHeight;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      let most = 0;
      for (let y = 0; y < c.height; y++)
        for (let x = 1; x < c.width; x++)
          for (let k = 0; k < 3; k++) {
            const i = (y * c.width + x) * 4 + k;
            most = Math.max(most, Math.abs(px[i] - px[i - 4]));
          }
      return most;
    });
    check('the rendition has no edges left', step <= 24, step);
    check('the bank match shown', (await mod.textContent('#matches')).includes('NCII_DEEPFAKES'),
          await mod.textContent('#matches'));
    const record = await api(platform, 'GET', '/v1/content/post-1');
    const scores = await mod.textContent('#scores');
    check('the classifier\'s scores shown as the content has them', record.data.classifier
          ? Object.keys(record.data.classifier).every(k => scores.includes(k))
          : scores === 'No classifier scores.', `${scores} for ${JSON.stringify(record.data)}`);
    check('the rapid report shown', (await mod.textContent('#reports')).includes('rapid'),
          await mod.textContent('#reports'));
    const frame = mod.locator('#media-box .frame');
    await frame.screenshot({ path: `${shots}/media-blurred.png` });
    await mod.keyboard.press('r');
    await mod.waitForFunction(() => /sample\.jpg$/.test(document.querySelector('#media').src) &&
                                    document.querySelector('#media').complete);
    check('revealed with r: the original', (await source()).endsWith('/console/sample.jpg'),
          await source());
    check('grayscale for wellness', (await filter()).includes('grayscale') &&
          !(await filter()).includes('blur'), await filter());
    await frame.screenshot({ path: `${shots}/media-revealed.png` });
    await mod.keyboard.press('g');
    check('colour with g', (await filter()) === 'none', await filter());
    await frame.screenshot({ path: `${shots}/media-colour.png` });
    await mod.screenshot({ path: `${shots}/case.png`, fullPage: false });

    // Withhold in MY, on the law, from the keyboard.
    await mod.keyboard.press('4');
    await mod.fill('#countries', 'MY');
    await mod.selectOption('#ground', 'law');
    await mod.fill('#legal', 'MY-OSA-2025');
    await mod.selectOption('#category', 'ncii_deepfake');
    await mod.fill('#note', 'the person depicted confirmed it');
    // First the preview: what viewers will see where; nothing is decided yet.
    await mod.keyboard.press('Control+Enter');
    await mod.waitForSelector('#effect:not([hidden])');
    const effect = await mod.textContent('#effect-table tbody');
    check('the preview shows MY and everywhere else',
          effect.includes('MYwithheldwithheld') && effect.includes('everywhere elsewithheldwithheld'),
          effect);
    await mod.screenshot({ path: `${shots}/preview.png`, fullPage: true });
    check('previewed, not decided', await visibility('post-1', 'MY') === 'withheld' &&
          (await api(admin, 'GET', `/v1/cases/${await mod.evaluate(() => state.caseId)}`)).data.status === 'claimed',
          'the case was decided by a preview');
    // A change to the form asks for a new preview.
    await mod.fill('#note', 'the person depicted confirmed it.');
    check('a change hides the preview', await mod.isHidden('#effect'), 'still shown');
    await mod.keyboard.press('Control+Enter');
    await mod.waitForSelector('#effect:not([hidden])');
    await mod.click('#confirm');
    await mod.waitForSelector('#queue:not([hidden])');
    await mod.waitForFunction(() => document.querySelector('#queue-note').textContent !== '');
    check('decided', (await mod.textContent('#queue-note')).includes('withhold'),
          await mod.textContent('#queue-note'));
    check('withheld in MY now', await visibility('post-1', 'MY') === 'withheld',
          await visibility('post-1', 'MY'));
    // MY's decision acts in MY: the bank match's hold everywhere stays elsewhere, for the
    // platform's own case.
    check('still held in FR', await visibility('post-1', 'FR') === 'withheld',
          await visibility('post-1', 'FR'));

    // The regulator: files a notice, watches it complete.
    const reg = await (await browser.newContext({ viewport })).newPage();
    watch(reg);
    await reg.goto(`${base}/console/`);
    await reg.fill('#key', regulator);
    await reg.click('#signin-form button');
    await reg.waitForSelector('#regulator:not([hidden])');
    await reg.fill('#reference', 'MCMC/2026/9');
    await reg.fill('#items', 'post-2');
    await reg.click('#notice-form button');
    await reg.waitForSelector('#notice-detail:not([hidden])');
    check('the item pending', (await reg.textContent('#items-table tbody')).includes('pending'),
          await reg.textContent('#items-table tbody'));
    check('listed with its deadline', /\d+h \d+m/.test(await reg.textContent('#notices-table tbody')),
          await reg.textContent('#notices-table tbody'));
    const notices = await api(regulator, 'GET', '/v1/notices');
    const notice = await api(regulator, 'GET', `/v1/notices/${notices.data.notices[0].id}`);
    const caseId = notice.data.items[0].case_id;
    const claimed = await api(admin, 'POST', `/v1/cases/${caseId}/claim`);
    const decided = await api(admin, 'POST', `/v1/cases/${caseId}/decision`,
        { action: 'withhold', countries: ['MY'], ground: 'law', legal: 'MY-MCMC-2024',
          category: 'ncii_deepfake' });
    check('a moderator decides it', claimed.status === 200 && decided.status === 200,
          `${claimed.status} ${decided.status}`);
    await reg.waitForFunction(
        () => document.querySelector('#items-table tbody').textContent.includes('actioned'),
        null, { timeout: 15000 });
    check('the regulator sees it actioned', true, '');
    await reg.screenshot({ path: `${shots}/regulator.png` });
    // A second notice, withdrawn from the console: the order ends, the content shows again.
    await reg.fill('#reference', 'MCMC/2026/10');
    await reg.fill('#items', 'post-9');
    await reg.click('#notice-form button');
    await reg.waitForFunction(
        () => document.querySelector('#notice-title').textContent.includes('MCMC/2026/10'));
    check('post-9 withheld in MY', await visibility('post-9', 'MY') === 'withheld',
          await visibility('post-9', 'MY'));
    await reg.click('#items-table tbody button.withdraw');
    check('the withdrawal asks first',
          (await reg.textContent('#items-table tbody button.withdraw')) === 'Confirm withdrawal',
          await reg.textContent('#items-table tbody'));
    check('nothing withdrawn before confirming', await visibility('post-9', 'MY') === 'withheld',
          await visibility('post-9', 'MY'));
    await reg.click('#items-table tbody button.withdraw');
    await reg.waitForFunction(
        () => document.querySelector('#items-table tbody').textContent.includes('withdrawn'),
        null, { timeout: 15000 });
    check('no withdraw button after', await reg.$('#items-table tbody button.withdraw') === null,
          await reg.textContent('#items-table tbody'));
    check('post-9 allowed in MY', await visibility('post-9', 'MY') === 'allow',
          await visibility('post-9', 'MY'));
    await reg.screenshot({ path: `${shots}/withdrawn.png` });

    for (const name of ['queue', 'case', 'regulator', 'withdrawn']) {
        const size = pngSize(`${shots}/${name}.png`);
        check(`screenshot ${name}`, size && size[0] === viewport.width && size[1] === viewport.height,
              JSON.stringify(size));
    }
    const blurred = fs.readFileSync(`${shots}/media-blurred.png`);
    const revealed = fs.readFileSync(`${shots}/media-revealed.png`);
    const colour = fs.readFileSync(`${shots}/media-colour.png`);
    check('screenshots of the media differ', pngSize(`${shots}/media-blurred.png`) &&
          !blurred.equals(revealed) && !revealed.equals(colour), 'identical');
    check('nothing loaded from elsewhere', foreign.length === 0, foreign.join(' '));
    check('no errors in the page', errors.length === 0, errors.join(' | '));
    await browser.close();
    process.exit(failed() ? 1 : 0);
})().catch(e => { console.log(`FAIL browser: ${e.message}`); process.exit(1); });
