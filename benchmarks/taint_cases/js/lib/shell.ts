import { exec, execFile } from 'child_process';

export function archive(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    exec(`tar czf /backups/${name}.tgz /srv/data`, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

export function archiveArgv(name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tar', ['czf', `/backups/${name}.tgz`, '/srv/data'], (err, out) =>
      err ? reject(err) : resolve(out),
    );
  });
}
