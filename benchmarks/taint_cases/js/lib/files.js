import fs from 'fs';
import path from 'path';

const ROOT = '/srv/uploads';

export function readUpload(name) {
  return fs.readFileSync(path.join(ROOT, name));
}

export function readUploadChecked(name) {
  const full = path.resolve(ROOT, name);
  if (!full.startsWith(ROOT + path.sep)) {
    throw new Error('outside the upload directory');
  }
  return fs.readFileSync(full);
}
