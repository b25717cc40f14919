// ipcheck-node.js — makes ipcheck-node.tsv: Node's own net.isIP() answers for
// tricky inputs, which tests/e2e/labs-ipcheck.sh compares lab-ipcheck with.
//   node tests/data/ipcheck-node.js > tests/data/ipcheck-node.tsv
const net = require('net');
const inputs = [
 '127.0.0.1','0.0.0.0','255.255.255.255','1.2.3.4','01.2.3.4','1.02.3.4','1.2.3.04','0.0.0.00','00.0.0.0',
 '1.2.3','1.2.3.4.5','256.1.1.1','1.2.3.256','999.1.1.1','1000.1.1.1','1..2.3','.1.2.3.4','1.2.3.4.',
 '-1.2.3.4','+1.2.3.4','1.2.3.-4','0x7f.0.0.1','127.1','2130706433','1,2,3,4',
 '',' ',' 1.2.3.4','1.2.3.4 ','1.2.3.4\n','\t::1','::1 ','1.2.3.4\r',
 '::','::1','1::','1::2','::ffff:1.2.3.4','::FFFF:1.2.3.4','::ffff:01.2.3.4','::ffff:1.2.3','::ffff:256.1.1.1',
 '::1.2.3.4','1::1.2.3.4','1.2.3.4::','1:2:3:4:5:6:1.2.3.4','1:2:3:4:5:6:7:1.2.3.4','1:2:3:4:5::1.2.3.4',
 '1:2:3:4:5:6::1.2.3.4','1:2:3:4:5:6:7:8','1:2:3:4:5:6:7:8:9','1:2:3:4:5:6:7','1:2:3:4:5:6:7::','::2:3:4:5:6:7:8',
 '1:2:3:4:5:6:7::8','::1:2:3:4:5:6:7','1::2::3','::1::',':::','1:::2',':1','1:',':1:2:3:4:5:6:7:8',
 'ABCD:EF01:2345:6789:ABCD:EF01:2345:6789','abcd::EF01','2001:db8::1','2001:DB8::1','2001:db8::g','12345::1','0000::1','00000::1',
 'fe80::1%eth0','fe80::1%lo','fe80::1%1','fe80::1%','fe80::1%eth0%1','fe80::1%en 0','fe80::1%a.b-c:d','fe80::1%é',
 '::1%eth0','1.2.3.4%eth0','%eth0','[::1]','[::1]:80','::1/128','1.2.3.4/24','1.2.3.4:80',
 'localhost','example.com','::ffff:127.0.0.1','::127.0.0.1','64:ff9b::192.0.2.33','1:2:3:4:5:6:7:8%eth0',
 'a.b.c.d','1.2.3.4\\', 'back\\slash', 'tab\there',
];
const esc = s => s.replace(/\\/g,'\\\\').replace(/\t/g,'\\t').replace(/\n/g,'\\n').replace(/\r/g,'\\r')
  .replace(/[^\x20-\x7e]/g, c => Buffer.from(c,'utf8').toString('hex').replace(/(..)/g,'\\x$1'));
let out = '# Node.js ' + process.version + ' net.isIP(input) for tricky inputs: ANSWER<TAB>INPUT,\n' +
  '# INPUT written for printf %b (\\t tab, \\n newline, \\\\ backslash, \\xHH a byte).\n' +
  '# Made with node (tests/data/ipcheck-node.js); the test reads it without node.\n';
for (const s of inputs) out += net.isIP(s) + '\t' + esc(s) + '\n';
process.stdout.write(out);
