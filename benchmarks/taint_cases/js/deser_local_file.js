const express = require('express');

const app = express();
app.use(express.json());

const fs = require('fs');
const serialize = require('node-serialize');

const defaults = serialize.unserialize(fs.readFileSync('/etc/app/defaults.ser', 'utf8'));

app.get('/defaults', (req, res) => {
  res.json(defaults);
});
