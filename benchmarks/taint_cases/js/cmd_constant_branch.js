const express = require('express');

const app = express();
app.use(express.json());

const { exec } = require('child_process');

const ALLOW_DEBUG_SHELL = false;

app.post('/debug', (req, res) => {
  if (ALLOW_DEBUG_SHELL) {
    exec(req.body.command);
  }
  res.end();
});
