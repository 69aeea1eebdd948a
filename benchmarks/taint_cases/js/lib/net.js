const axios = require('axios');

async function getJson(url) {
  const response = await axios.get(url, { timeout: 3000 });
  return response.data;
}

async function getPartner(path) {
  const response = await axios.get(`https://partners.example.com/api/${path}`);
  return response.data;
}

module.exports = { getJson, getPartner };
