const express = require('express');

const app = express();
app.use(express.json());

const { execFile } = require('child_process');

app.post('/ping', (req, res) => {
  execFile('ping', ['-c', '1', req.body.host], (err, stdout) => res.send(stdout));
});
