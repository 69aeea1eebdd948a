const express = require('express');

const app = express();
app.use(express.json());

const { spawn } = require('child_process');

app.post('/convert', (req, res) => {
  const child = spawn(`convert ${req.body.file} out.png`, { shell: true });
  child.on('close', () => res.end());
});
