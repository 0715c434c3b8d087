// Shared by the browser tests: Debian's chromium driven by playwright-core (headless, no
// network of its own), and checks printed as "ok NAME" or "FAIL NAME: why".
const path = require('path');

exports.launch = playwrightDir => {
    const { chromium } = require(path.join(playwrightDir, 'node_modules', 'playwright-core'));
    return chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
};

let failed = 0;
exports.check = (name, ok, why) => {
    console.log(ok ? `ok ${name}` : `FAIL ${name}: ${why}`);
    if (!ok) failed++;
};
exports.failed = () => failed;
