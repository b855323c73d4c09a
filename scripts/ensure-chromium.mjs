// The browser tests need Debian's Chromium (playwright cannot download browsers on this kind of machine).
// Installs it when missing and we are root; otherwise says exactly what to run.
import { execSync } from 'node:child_process';

const has = (cmd) => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};

if (!has('chromium') && !has('chromium-browser')) {
  if (process.getuid?.() !== 0) {
    console.error('Chromium is missing. Install it with: sudo apt-get update && sudo apt-get install -y chromium');
    process.exit(1);
  }
  console.log('Installing Debian chromium for the browser tests...');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit', shell: '/bin/sh' });
}
