package io.ecsbluegreen;
class Placeholder {}
