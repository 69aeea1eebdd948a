const express = require('express');

const app = express();
app.use(express.json());

const path = require('path');

app.get('/download/:name', (req, res) => {
  res.sendFile(path.join(__dirname, 'files', req.params.name));
});
