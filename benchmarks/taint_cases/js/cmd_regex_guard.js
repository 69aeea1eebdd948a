const express = require('express');

const app = express();
app.use(express.json());

const { execSync } = require('child_process');

app.post('/checkout', (req, res) => {
  const branch = req.body.branch;
  if (!/^[a-zA-Z0-9._-]+$/.test(branch)) {
    return res.status(400).end();
  }
  res.send(execSync(`git -C /srv/repo checkout ${branch}`).toString());
});
