const express = require('express');

const app = express();
app.use(express.json());

const { exec } = require('child_process');

app.post('/ping', (req, res) => {
  exec('ping -c 1 ' + req.body.host, (err, stdout) => res.send(stdout));
});
