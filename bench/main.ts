// Placeholder replaced below.
console.log('bench');
